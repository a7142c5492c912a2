<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>EvidenceReport</name>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="35" />
        <source>The sockets of both processes are listed every {interval} s (%n check(s) so far); connections and listening sockets are logged.</source>
        <translation>
            <numerusform>The sockets of both processes are listed every {interval} s (%n check so far); connections and listening sockets are logged.</numerusform>
            <numerusform>The sockets of both processes are listed every {interval} s (%n checks so far); connections and listening sockets are logged.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="40" />
        <source>%n attempt(s) blocked before anything was sent</source>
        <translation>
            <numerusform>%n attempt blocked before anything was sent</numerusform>
            <numerusform>%n attempts blocked before anything was sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="43" />
        <source>%n download(s) or search(es) the user started were not run because offline mode was on</source>
        <translation>
            <numerusform>%n download or search the user started was not run because offline mode was on</numerusform>
            <numerusform>%n downloads or searches the user started were not run because offline mode was on</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="47" />
        <source>%n UNEXPECTED connection(s) or listening socket(s) seen open.</source>
        <translation>
            <numerusform>%n UNEXPECTED connection or listening socket seen open.</numerusform>
            <numerusform>%n UNEXPECTED connections or listening sockets seen open.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="50" />
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LocalityPanel</name>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="227" />
        <source>%n conversation(s) deleted.</source>
        <translation>
            <numerusform>%n conversation deleted.</numerusform>
            <numerusform>%n conversations deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="360" />
        <source>{when} — %n entries. {verdict}</source>
        <translation>
            <numerusform>{when} — %n entry. {verdict}</numerusform>
            <numerusform>{when} — %n entries. {verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="371" />
        <source>%n download(s) or search(es) you started were not run because offline mode was on.</source>
        <translation>
            <numerusform>%n download or search you started was not run because offline mode was on.</numerusform>
            <numerusform>%n downloads or searches you started were not run because offline mode was on.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="375" />
        <source>Nothing left this computer: %n attempt(s) blocked before anything was sent.</source>
        <translation>
            <numerusform>Nothing left this computer: %n attempt blocked before anything was sent.</numerusform>
            <numerusform>Nothing left this computer: %n attempts blocked before anything was sent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="384" />
        <source>%n UNEXPECTED connection(s) or listening socket(s) seen open.</source>
        <translation>
            <numerusform>%n UNEXPECTED connection or listening socket seen open.</numerusform>
            <numerusform>%n UNEXPECTED connections or listening sockets seen open.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="394" />
        <source>%n attempt(s) failed.</source>
        <translation>
            <numerusform>%n attempt failed.</numerusform>
            <numerusform>%n attempts failed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="396" />
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