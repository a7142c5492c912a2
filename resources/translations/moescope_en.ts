<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>LocalityPanel</name>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="226" />
        <source>%n conversation(s) deleted.</source>
        <translation>
            <numerusform>%n conversation deleted.</numerusform>
            <numerusform>%n conversations deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="359" />
        <source>{when} — %n entries. {verdict}</source>
        <translation>
            <numerusform>{when} — %n entry. {verdict}</numerusform>
            <numerusform>{when} — %n entries. {verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="370" />
        <source>%n download(s) or search(es) you started were not run because offline mode was on.</source>
        <translation>
            <numerusform>%n download or search you started was not run because offline mode was on.</numerusform>
            <numerusform>%n downloads or searches you started were not run because offline mode was on.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="374" />
        <source>Nothing left this computer: %n attempt(s) blocked before anything was sent.</source>
        <translation>
            <numerusform>Nothing left this computer: %n attempt blocked before anything was sent.</numerusform>
            <numerusform>Nothing left this computer: %n attempts blocked before anything was sent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="383" />
        <source>%n UNEXPECTED connection(s) or listening socket(s) seen open.</source>
        <translation>
            <numerusform>%n UNEXPECTED connection or listening socket seen open.</numerusform>
            <numerusform>%n UNEXPECTED connections or listening sockets seen open.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="393" />
        <source>%n attempt(s) failed.</source>
        <translation>
            <numerusform>%n attempt failed.</numerusform>
            <numerusform>%n attempts failed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="395" />
        <source>%n attempt(s) blocked before anything was sent.</source>
        <translation>
            <numerusform>%n attempt blocked before anything was sent.</numerusform>
            <numerusform>%n attempts blocked before anything was sent.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TalkFigures</name>
    <message numerus="yes">
        <location filename="../../app/ui/experts/talk_figures.py" line="127" />
        <source>%n of its {n} experts were not chosen at all.</source>
        <translation>
            <numerusform>%n of its {n} experts was not chosen at all.</numerusform>
            <numerusform>%n of its {n} experts were not chosen at all.</numerusform>
        </translation>
    </message>
</context>
</TS>