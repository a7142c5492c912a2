<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ConversationScreen</name>
    <message numerus="yes">
        <location filename="../../app/ui/kiosk/conversation.py" line="199"/>
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CountdownOverlay</name>
    <message numerus="yes">
        <location filename="../../app/ui/kiosk/idle.py" line="142"/>
        <source>%n second(s) left</source>
        <translation>
            <numerusform>%n second left</numerusform>
            <numerusform>%n seconds left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DocumentsDialog</name>
    <message numerus="yes">
        <location filename="../../app/ui/documents/dialog.py" line="297"/>
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n document</numerusform>
            <numerusform>%n documents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/documents/dialog.py" line="297"/>
        <source>%n passage(s)</source>
        <translation>
            <numerusform>%n passage</numerusform>
            <numerusform>%n passages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/documents/dialog.py" line="299"/>
        <source>%n not readable</source>
        <translation>
            <numerusform>%n not readable</numerusform>
            <numerusform>%n not readable</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message numerus="yes">
        <location filename="../../app/ui/library/downloads.py" line="226"/>
        <source>Downloads (%n)</source>
        <translation>
            <numerusform>Downloads (%n)</numerusform>
            <numerusform>Downloads (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EvidenceReport</name>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="35"/>
        <source>The sockets of both processes are listed every {interval} s (%n check(s) so far); connections and listening sockets are logged.</source>
        <translation>
            <numerusform>The sockets of both processes are listed every {interval} s (%n check so far); connections and listening sockets are logged.</numerusform>
            <numerusform>The sockets of both processes are listed every {interval} s (%n checks so far); connections and listening sockets are logged.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="40"/>
        <source>%n attempt(s) blocked before anything was sent</source>
        <translation>
            <numerusform>%n attempt blocked before anything was sent</numerusform>
            <numerusform>%n attempts blocked before anything was sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="43"/>
        <source>%n download(s) or search(es) the user started were not run because offline mode was on</source>
        <translation>
            <numerusform>%n download or search the user started was not run because offline mode was on</numerusform>
            <numerusform>%n downloads or searches the user started were not run because offline mode was on</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="47"/>
        <source>%n UNEXPECTED connection(s) or listening socket(s) seen open.</source>
        <translation>
            <numerusform>%n UNEXPECTED connection or listening socket seen open.</numerusform>
            <numerusform>%n UNEXPECTED connections or listening sockets seen open.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="50"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FolderMove</name>
    <message numerus="yes">
        <location filename="../../app/ui/library/folder_move.py" line="133"/>
        <source>Move the %n model(s) ({size}) to the new folder?</source>
        <translation>
            <numerusform>Move the model ({size}) to the new folder?</numerusform>
            <numerusform>Move the %n models ({size}) to the new folder?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/library/folder_move.py" line="213"/>
        <source>%n model(s) moved to “{folder}”.</source>
        <translation>
            <numerusform>%n model moved to “{folder}”.</numerusform>
            <numerusform>%n models moved to “{folder}”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/library/folder_move.py" line="235"/>
        <source>%n model(s) stay in the old folder “{folder}”. To use them, choose that folder again.</source>
        <translation>
            <numerusform>%n model stays in the old folder “{folder}”. To use it, choose that folder again.</numerusform>
            <numerusform>%n models stay in the old folder “{folder}”. To use them, choose that folder again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LocalityPanel</name>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="227"/>
        <source>%n conversation(s) deleted.</source>
        <translation>
            <numerusform>%n conversation deleted.</numerusform>
            <numerusform>%n conversations deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="369"/>
        <source>{when} — %n entries. {verdict}</source>
        <translation>
            <numerusform>{when} — %n entry. {verdict}</numerusform>
            <numerusform>{when} — %n entries. {verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="380"/>
        <source>%n download(s) or search(es) you started were not run because offline mode was on.</source>
        <translation>
            <numerusform>%n download or search you started was not run because offline mode was on.</numerusform>
            <numerusform>%n downloads or searches you started were not run because offline mode was on.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="384"/>
        <source>Nothing left this computer: %n attempt(s) blocked before anything was sent.</source>
        <translation>
            <numerusform>Nothing left this computer: %n attempt blocked before anything was sent.</numerusform>
            <numerusform>Nothing left this computer: %n attempts blocked before anything was sent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="393"/>
        <source>%n UNEXPECTED connection(s) or listening socket(s) seen open.</source>
        <translation>
            <numerusform>%n UNEXPECTED connection or listening socket seen open.</numerusform>
            <numerusform>%n UNEXPECTED connections or listening sockets seen open.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="403"/>
        <source>%n attempt(s) failed.</source>
        <translation>
            <numerusform>%n attempt failed.</numerusform>
            <numerusform>%n attempts failed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="405"/>
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
        <location filename="../../app/ui/experts/talk_figures.py" line="130"/>
        <source>%n of its {n} experts were not chosen at all.</source>
        <translation>
            <numerusform>%n of its {n} experts was not chosen at all.</numerusform>
            <numerusform>%n of its {n} experts were not chosen at all.</numerusform>
        </translation>
    </message>
</context>
</TS>
