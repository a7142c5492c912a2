<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="25"/>
        <source>About MoEscope</source>
        <translation>Über MoEscope</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="29"/>
        <source>MoEscope {version}</source>
        <translation>MoEscope {version}</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="32"/>
        <source>Chat with a language model on this computer and watch which experts of a Mixture-of-Experts model work on each word. Nothing you write leaves this computer.</source>
        <translation>Chatten Sie mit einem Sprachmodell auf diesem Computer und sehen Sie, welche Experten eines Mixture-of-Experts-Modells an jedem Wort arbeiten. Nichts, was Sie schreiben, verlässt diesen Computer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="42"/>
        <source>MoEscope brings these parts along:</source>
        <translation>MoEscope bringt diese Teile mit:</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="46"/>
        <source>Parts and their licences</source>
        <translation>Teile und ihre Lizenzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="47"/>
        <source>Part</source>
        <translation>Teil</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="47"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="47"/>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="51"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="52"/>
        <source>{name} (the demo text model)</source>
        <translation>{name} (das Demo-Textmodell)</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="53"/>
        <source>not installed</source>
        <translation>nicht installiert</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="54"/>
        <source>{name} (random weights, written by MoEscope)</source>
        <translation>{name} (Zufallsgewichte, von MoEscope erzeugt)</translation>
    </message>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="66"/>
        <source>MoEscope is free software under the MIT licence. Qt and PySide6 are used under the GNU LGPL version 3: you may replace them with your own build. The Gemma model&apos;s weights are Google&apos;s and are provided under the Gemma Terms of Use (ai.google.dev/gemma/terms).</source>
        <translation>MoEscope ist freie Software unter der MIT-Lizenz. Qt und PySide6 werden unter der GNU LGPL Version 3 genutzt: Sie dürfen sie durch einen eigenen Build ersetzen. Die Gewichte des Gemma-Modells gehören Google und stehen unter den Gemma-Nutzungsbedingungen (ai.google.dev/gemma/terms).</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="222"/>
        <source>Kiosk administration</source>
        <translation>Kiosk-Verwaltung</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="233"/>
        <source>Running for</source>
        <translation>Läuft seit</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="233"/>
        <source>Visitors</source>
        <translation>Besucher</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="234"/>
        <source>Answers</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="234"/>
        <source>Engine restarts</source>
        <translation>Neustarts der Engine</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="235"/>
        <source>Window memory</source>
        <translation>Speicher des Fensters</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="235"/>
        <source>Engine memory</source>
        <translation>Speicher der Engine</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="236"/>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="256"/>
        <source>Back to the visitors</source>
        <translation>Zurück zu den Besuchern</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="257"/>
        <source>Settings…</source>
        <translation>Einstellungen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="258"/>
        <source>Restart the engine</source>
        <translation>Engine neu starten</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="259"/>
        <source>Exit kiosk</source>
        <translation>Kiosk beenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="310"/>
        <source>Model: {name}</source>
        <translation>Modell: {name}</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="311"/>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="318"/>
        <source>no engine running</source>
        <translation>keine Engine läuft</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="320"/>
        <source>blocked</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="320"/>
        <source>allowed</source>
        <translation>erlaubt</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="324"/>
        <source>Offline mode: on</source>
        <translation>Offline-Modus: an</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="324"/>
        <source>Offline mode: off</source>
        <translation>Offline-Modus: aus</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="63"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="63"/>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="63"/>
        <source>Host</source>
        <translation>Gegenstelle</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="63"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="63"/>
        <source>Action</source>
        <translation>Vorgang</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="64"/>
        <source>Verdict</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="64"/>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="91"/>
        <source>window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="91"/>
        <source>engine</source>
        <translation>Engine</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="105"/>
        <source>local</source>
        <translation>lokal</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="106"/>
        <source>allowed (your action)</source>
        <translation>erlaubt (Ihr Auftrag)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="107"/>
        <source>blocked</source>
        <translation>blockiert</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="108"/>
        <source>UNEXPECTED</source>
        <translation>UNERWARTET</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="114"/>
        <source>failed: {error}</source>
        <translation>Fehler: {error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="116"/>
        <source>not recorded</source>
        <translation>nicht erfasst</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="118"/>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="119"/>
        <source>name resolved</source>
        <translation>Name aufgelöst</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="120"/>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="121"/>
        <source>begun, end not awaited</source>
        <translation>begonnen, Ende nicht abgewartet</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="122"/>
        <source>nothing sent</source>
        <translation>nichts gesendet</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="129"/>
        <source>name not resolved</source>
        <translation>Name nicht aufgelöst</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="130"/>
        <source>connection refused by the host</source>
        <translation>von der Gegenstelle abgelehnt</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="131"/>
        <source>no route to host</source>
        <translation>keine Route zur Gegenstelle</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="132"/>
        <source>network unreachable</source>
        <translation>Netzwerk nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="133"/>
        <source>timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="134"/>
        <source>connection reset</source>
        <translation>Verbindung zurückgesetzt</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="141"/>
        <source>{action} refused: offline mode</source>
        <translation>{action} abgelehnt: Offline-Modus</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="143"/>
        <source>listening socket</source>
        <translation>wartet auf Verbindungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="147"/>
        <source>{action} (seen open)</source>
        <translation>{action} (offene Verbindung)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="158"/>
        <source>chat with the company server {host}</source>
        <translation>Chat mit dem Firmenserver {host}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="160"/>
        <source>connection test of the company server {host}</source>
        <translation>Verbindungstest des Firmenservers {host}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="145"/>
        <source>connection attempt</source>
        <translation>Verbindungsversuch</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="148"/>
        <source>open connection</source>
        <translation>offene Verbindung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="154"/>
        <source>download from {host}</source>
        <translation>Download von {host}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/audit_table.py" line="156"/>
        <source>search on {host}</source>
        <translation>Suche auf {host}</translation>
    </message>
</context>
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="110"/>
        <source>Type your message — Enter sends, Shift+Enter starts a new line</source>
        <translation>Nachricht eingeben — Eingabetaste sendet, Umschalt+Eingabe beginnt eine neue Zeile</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="111"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="118"/>
        <source>Editing an earlier message: sending it replaces that message and everything after it.</source>
        <translation>Sie bearbeiten eine frühere Nachricht: Beim Senden ersetzt sie diese Nachricht und alles danach.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="122"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="123"/>
        <source>Keep the conversation as it is (Esc)</source>
        <translation>Das Gespräch so lassen, wie es ist (Esc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="132"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="135"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="136"/>
        <source>Stop the answer now</source>
        <translation>Die Antwort jetzt anhalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="138"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="139"/>
        <source>Start a new conversation; this one stays in the list</source>
        <translation>Ein neues Gespräch beginnen; dieses bleibt in der Liste</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="141"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="142"/>
        <source>Remove every message of this conversation</source>
        <translation>Alle Nachrichten dieses Gesprächs entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="158"/>
        <source>Welcome! Type your message below and press Enter. The answer appears here, and the Experts pane shows which experts work on every token. Another model can be chosen in the Model library (Load).</source>
        <translation>Willkommen! Schreiben Sie unten Ihre Nachricht und drücken Sie die Eingabetaste. Die Antwort erscheint hier, und der Bereich „Experten“ zeigt, welche Experten an jedem Token arbeiten. Ein anderes Modell wählen Sie in der Modellbibliothek (Laden).</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="200"/>
        <location filename="../../app/ui/chat/pane.py" line="414"/>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="253"/>
        <source>[… {count} more characters, not shown here]</source>
        <translation>[… {count} weitere Zeichen, hier nicht angezeigt]</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="384"/>
        <source>1 token</source>
        <translation>1 Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="384"/>
        <source>{count} tokens</source>
        <translation>{count} Tokens</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="386"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} Tokens/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="387"/>
        <source>first token after {seconds} s</source>
        <translation>erstes Token nach {seconds} s</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="388"/>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="388"/>
        <source>length limit reached</source>
        <translation>Längengrenze erreicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="389"/>
        <source>the conversation is too long for the model — start a new chat</source>
        <translation>das Gespräch ist zu lang für das Modell — beginnen Sie einen neuen Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="394"/>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/pane.py" line="491"/>
        <source>Load a model in the Model library first</source>
        <translation>Laden Sie zuerst ein Modell in der Modellbibliothek</translation>
    </message>
</context>
<context>
    <name>ComparisonColumn</name>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="102"/>
        <source>the model’s own</source>
        <translation>die eigene des Modells</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="114"/>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="115"/>
        <source>Share of each layer’s routing weight over the answer</source>
        <translation>Anteil am Routing-Gewicht jeder Schicht über die Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="136"/>
        <location filename="../../app/ui/experts/compare.py" line="154"/>
        <source>k = {k}</source>
        <translation>k = {k}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="138"/>
        <source>Not run yet</source>
        <translation>Noch nicht ausgeführt</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="148"/>
        <source>{active} of {total} parameters work on each token ({share})</source>
        <translation>{active} von {total} Parametern arbeiten an jedem Token ({share})</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="160"/>
        <source>{rate} tokens/s · first token after {ttft} s</source>
        <translation>{rate} Tokens/s · erstes Token nach {ttft} s</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="163"/>
        <source>No answer tokens</source>
        <translation>Keine Antwort-Tokens</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="165"/>
        <source>{rate} tokens/s so far</source>
        <translation>bisher {rate} Tokens/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="167"/>
        <source>Reading the question…</source>
        <translation>Die Frage wird gelesen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="173"/>
        <source>llama.cpp ignored the override for this file: the router still chose {n} experts per token.</source>
        <translation>llama.cpp hat die Vorgabe für diese Datei nicht übernommen: Der Router wählte weiter {n} Experten pro Token.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="191"/>
        <source>Share of weight</source>
        <translation>Gewichtsanteil</translation>
    </message>
</context>
<context>
    <name>ComparisonDialog</name>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="216"/>
        <location filename="../../app/ui/experts/compare.py" line="230"/>
        <source>Experts per token, side by side</source>
        <translation>Experten pro Token im Vergleich</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="235"/>
        <source>The same question, answered twice: once with each number of experts per token (k). More experts mean more parameters working on each token — slower, and perhaps a better answer.</source>
        <translation>Dieselbe Frage, zweimal beantwortet: einmal mit jeder Anzahl Experten pro Token (k). Mehr Experten heißt: mehr Parameter arbeiten an jedem Token – langsamer und vielleicht eine bessere Antwort.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="240"/>
        <location filename="../../app/ui/experts/compare.py" line="273"/>
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="241"/>
        <source>The question to answer twice</source>
        <translation>Die Frage, die zweimal beantwortet wird</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="244"/>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="248"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="281"/>
        <source>Left: k =</source>
        <translation>Links: k =</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="281"/>
        <source>Right: k =</source>
        <translation>Rechts: k =</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="323"/>
        <source>Model: {name}</source>
        <translation>Modell: {name}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="331"/>
        <source> of {n}</source>
        <translation> von {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="362"/>
        <source>Load a Mixture-of-Experts model first.</source>
        <translation>Laden Sie zuerst ein Mixture-of-Experts-Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="364"/>
        <source>“{name}” is a dense model: it has no experts to choose from.</source>
        <translation>„{name}“ ist ein dichtes Modell: Es hat keine Experten, aus denen gewählt werden könnte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="367"/>
        <source>llama.cpp ignores the experts-per-token setting for the “{arch}” architecture: both answers would use the model’s own {k} experts, so there is nothing to compare.</source>
        <translation>llama.cpp übergeht die Einstellung „Experten pro Token“ für die Architektur „{arch}“: Beide Antworten nutzten die eigenen {k} Experten des Modells, es gäbe also nichts zu vergleichen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="371"/>
        <source>The engine is busy; Run is offered once it is free.</source>
        <translation>Die Engine ist beschäftigt; „Ausführen“ steht bereit, sobald sie frei ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="373"/>
        <source>Type a question to answer twice.</source>
        <translation>Geben Sie eine Frage ein, die zweimal beantwortet wird.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="403"/>
        <source>Loading the model with {k} experts per token…</source>
        <translation>Das Modell wird mit {k} Experten pro Token geladen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="404"/>
        <source>Answering with {k} experts per token…</source>
        <translation>Antwort mit {k} Experten pro Token …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="407"/>
        <source>Giving the model back its own {k} experts per token…</source>
        <translation>Das Modell bekommt seine eigenen {k} Experten pro Token zurück …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="417"/>
        <source>Done. The model is back at its own {k} experts per token.</source>
        <translation>Fertig. Das Modell arbeitet wieder mit seinen eigenen {k} Experten pro Token.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="418"/>
        <source>Stopped. The model is back at its own {k} experts per token.</source>
        <translation>Angehalten. Das Modell arbeitet wieder mit seinen eigenen {k} Experten pro Token.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/compare.py" line="461"/>
        <source>k = {right} against k = {left}: {speed}× the speed ({right_rate} against {left_rate} tokens/s), with {active}× the active parameters ({right_active} against {left_active}).</source>
        <translation>k = {right} gegenüber k = {left}: {speed}-fache Geschwindigkeit ({right_rate} gegenüber {left_rate} Tokens/s), mit {active}-fachen aktiven Parametern ({right_active} gegenüber {left_active}).</translation>
    </message>
</context>
<context>
    <name>ComparisonRun</name>
    <message>
        <location filename="../../app/ui/experts/compare_run.py" line="293"/>
        <source>The engine crashed while loading the model with {k} experts per token. llama.cpp sets aside room for a fixed number of computation steps per model, and many experts per token can outgrow it. Try a smaller k.</source>
        <translation>Die Engine ist beim Laden des Modells mit {k} Experten pro Token abgestürzt. llama.cpp reserviert Platz für eine feste Zahl von Rechenschritten pro Modell, und viele Experten pro Token können ihn sprengen. Versuchen Sie ein kleineres k.</translation>
    </message>
</context>
<context>
    <name>ConversationController</name>
    <message>
        <location filename="../../app/ui/chat/conversation_controller.py" line="73"/>
        <source>There is not enough free space on the drive to keep conversations. New messages are not saved until some space is freed.</source>
        <translation>Auf dem Laufwerk ist nicht genug Platz, um Gespräche aufzubewahren. Neue Nachrichten werden erst wieder gespeichert, wenn Platz frei wird.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_controller.py" line="77"/>
        <source>The conversations file cannot be changed (the drive or the file is read-only, or your user account may not change it). New messages are not saved.</source>
        <translation>Die Gesprächsdatei kann nicht geändert werden (Laufwerk oder Datei sind schreibgeschützt, oder Ihr Benutzerkonto darf sie nicht ändern). Neue Nachrichten werden nicht gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_controller.py" line="81"/>
        <source>The conversations file is damaged and cannot be read. Conversations are not saved in this session.</source>
        <translation>Die Gesprächsdatei ist beschädigt und kann nicht gelesen werden. In dieser Sitzung werden keine Gespräche gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_controller.py" line="85"/>
        <source>The conversations file is in use by another program. Conversations are not saved here.</source>
        <translation>Die Gesprächsdatei wird von einem anderen Programm benutzt. Gespräche werden hier nicht gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_controller.py" line="88"/>
        <source>The conversations file cannot be opened. If the data folder is on an external drive, connect the drive. Conversations are not saved in this session.</source>
        <translation>Die Gesprächsdatei lässt sich nicht öffnen. Liegt der Datenordner auf einem externen Laufwerk, schließen Sie es an. In dieser Sitzung werden keine Gespräche gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_controller.py" line="92"/>
        <source>The conversations file was written by a newer version of MoEscope. Conversations are not saved in this session; the newer version can still read them.</source>
        <translation>Die Gesprächsdatei stammt von einer neueren MoEscope-Version. In dieser Sitzung werden keine Gespräche gespeichert; die neuere Version kann sie weiterhin lesen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_controller.py" line="99"/>
        <source>Conversations cannot be saved: {reason}</source>
        <translation>Gespräche können nicht gespeichert werden: {reason}</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="65"/>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="217"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="219"/>
        <source>Start a new conversation; this one stays in the list</source>
        <translation>Ein neues Gespräch beginnen; dieses bleibt in der Liste</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="224"/>
        <location filename="../../app/ui/chat/conversations.py" line="225"/>
        <source>Search conversations</source>
        <translation>Gespräche durchsuchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="238"/>
        <source>Conversations</source>
        <translation>Gespräche</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="263"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="264"/>
        <source>Undo delete</source>
        <translation>Löschen rückgängig machen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="320"/>
        <source>“{title}” was deleted.</source>
        <translation>„{title}“ wurde gelöscht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="321"/>
        <source>The conversation was deleted.</source>
        <translation>Das Gespräch wurde gelöscht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="332"/>
        <source>No conversation contains “{text}”.</source>
        <translation>Kein Gespräch enthält „{text}“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="335"/>
        <source>No conversations yet. They are kept here as you chat.</source>
        <translation>Noch keine Gespräche. Sie werden hier aufbewahrt, während Sie chatten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="382"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="383"/>
        <source>Rename…</source>
        <translation>Umbenennen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="384"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
</context>
<context>
    <name>ConversationMenu</name>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="30"/>
        <source>&amp;Conversation</source>
        <translation>&amp;Gespräch</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="32"/>
        <source>Export as &amp;Markdown…</source>
        <translation>Als &amp;Markdown exportieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="33"/>
        <source>Export as &amp;JSON with routing…</source>
        <translation>Als &amp;JSON mit Routing exportieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="38"/>
        <source>Let the model &amp;think first</source>
        <translation>Das Modell zuerst &amp;nachdenken lassen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="43"/>
        <source>Reasoning models (such as Qwen3) can write down their thoughts before they answer: slower, often better. Only models whose chat template has this switch offer it.</source>
        <translation>Denkende Modelle (wie Qwen3) können ihre Gedanken aufschreiben, bevor sie antworten: langsamer, oft besser. Nur Modelle, deren Chat-Vorlage diesen Schalter hat, bieten das an.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="53"/>
        <source>There is nothing to export yet: this conversation has no messages.</source>
        <translation>Es gibt noch nichts zu exportieren: Dieses Gespräch hat keine Nachrichten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="55"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="55"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="56"/>
        <source>Export conversation</source>
        <translation>Gespräch exportieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="62"/>
        <source>The conversation was saved to {path}.</source>
        <translation>Das Gespräch wurde unter {path} gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/conversation_menu.py" line="65"/>
        <source>The conversation could not be saved to {path}: {why}</source>
        <translation>Das Gespräch konnte nicht unter {path} gespeichert werden: {why}</translation>
    </message>
</context>
<context>
    <name>ConversationModel</name>
    <message>
        <location filename="../../app/ui/chat/conversations.py" line="110"/>
        <source>New conversation</source>
        <translation>Neues Gespräch</translation>
    </message>
</context>
<context>
    <name>ConversationScreen</name>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="119"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="122"/>
        <source>Start over</source>
        <translation>Neu beginnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="124"/>
        <source>Clear this conversation for the next visitor</source>
        <translation>Dieses Gespräch für den nächsten Besucher löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="161"/>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/kiosk/conversation.py" line="199"/>
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n Token</numerusform>
            <numerusform>%n Tokens</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="201"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} Tokens/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="203"/>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="205"/>
        <source>the conversation is full — please start over</source>
        <translation>das Gespräch ist voll – bitte neu beginnen</translation>
    </message>
</context>
<context>
    <name>CountdownOverlay</name>
    <message>
        <location filename="../../app/ui/kiosk/idle.py" line="135"/>
        <source>Are you still there?</source>
        <translation>Sind Sie noch da?</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/idle.py" line="137"/>
        <source>Then this conversation is cleared for the next visitor.</source>
        <translation>Danach wird dieses Gespräch für den nächsten Besucher gelöscht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/idle.py" line="138"/>
        <source>Touch the screen to go on.</source>
        <translation>Berühren Sie den Bildschirm, um weiterzumachen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/kiosk/idle.py" line="142"/>
        <source>%n second(s) left</source>
        <translation>
            <numerusform>noch %n Sekunde</numerusform>
            <numerusform>noch %n Sekunden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DefaultableValue</name>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="81"/>
        <source>Model default</source>
        <translation>Vorgabe des Modells</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="81"/>
        <source>Default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="83"/>
        <source>{setting}: {default}</source>
        <translation>{setting}: {default}</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="85"/>
        <source>Use the value the model file recommends</source>
        <translation>Den Wert verwenden, den die Modelldatei empfiehlt</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="86"/>
        <source>Use MoEscope&apos;s usual value</source>
        <translation>Den üblichen Wert von MoEscope verwenden</translation>
    </message>
</context>
<context>
    <name>DeleteFlow</name>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="42"/>
        <source>Remove from the library</source>
        <translation>Aus der Bibliothek entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="43"/>
        <source>Remove “{name}” from the library?</source>
        <translation>„{name}“ aus der Bibliothek entfernen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="48"/>
        <source>The file stays where it is ({folder}); nothing is deleted.</source>
        <translation>Die Datei bleibt, wo sie ist ({folder}); es wird nichts gelöscht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="52"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="57"/>
        <source>Delete model</source>
        <translation>Modell löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="58"/>
        <source>Delete “{name}”?</source>
        <translation>„{name}“ löschen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="64"/>
        <source>This deletes the file from the models folder for good and frees {size} on the drive. You can download or import it again later.</source>
        <translation>Die Datei wird endgültig aus dem Modellordner gelöscht; das gibt {size} auf dem Laufwerk frei. Sie können sie später wieder herunterladen oder importieren.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="68"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="76"/>
        <source>“{name}” was removed from the library.</source>
        <translation>„{name}“ wurde aus der Bibliothek entfernt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/delete_flow.py" line="87"/>
        <source>“{name}” was deleted; {size} were freed.</source>
        <translation>„{name}“ wurde gelöscht; {size} sind wieder frei.</translation>
    </message>
</context>
<context>
    <name>DocumentChat</name>
    <message>
        <location filename="../../app/ui/documents/document_chat.py" line="85"/>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/document_chat.py" line="100"/>
        <source>no matching passage; the model was not asked</source>
        <translation>kein passender Abschnitt; das Modell wurde nicht gefragt</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/document_chat.py" line="158"/>
        <source>Search by meaning is not available, so the passages were found by their words: {reason}</source>
        <translation>Die Suche nach Bedeutung ist nicht verfügbar, darum wurden die Abschnitte über ihre Wörter gefunden: {reason}</translation>
    </message>
</context>
<context>
    <name>DocumentWords</name>
    <message>
        <location filename="../../app/ui/documents/words.py" line="20"/>
        <source>protected with a password</source>
        <translation>mit einem Passwort geschützt</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/words.py" line="22"/>
        <source>damaged, or not the kind of file its name says</source>
        <translation>beschädigt oder nicht die Art Datei, die ihr Name sagt</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/words.py" line="24"/>
        <source>holds no text, only images (a scanned document?)</source>
        <translation>enthält keinen Text, nur Bilder (ein eingescanntes Dokument?)</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/words.py" line="25"/>
        <source>cannot be read: {reason}</source>
        <translation>kann nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/words.py" line="32"/>
        <source>page {page}</source>
        <translation>Seite {page}</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/words.py" line="45"/>
        <source>Nothing in the documents “{names}” matches this question, so the model was not asked: it would only guess. Try other words, or switch the documents off for this question.</source>
        <translation>Nichts in den Dokumenten „{names}“ passt zu dieser Frage, deshalb wurde das Modell nicht gefragt: Es würde nur raten. Versuchen Sie andere Wörter, oder schalten Sie die Dokumente für diese Frage aus.</translation>
    </message>
</context>
<context>
    <name>DocumentsChooser</name>
    <message>
        <location filename="../../app/ui/documents/chooser.py" line="33"/>
        <source>Documents the chat asks</source>
        <translation>Dokumente, die der Chat befragt</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/chooser.py" line="34"/>
        <source>Answer from your own documents: the passages that match a question go to the model with it, and the answer names its sources</source>
        <translation>Aus Ihren eigenen Dokumenten antworten: Die Abschnitte, die zu einer Frage passen, gehen mit ihr an das Modell, und die Antwort nennt ihre Quellen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/chooser.py" line="69"/>
        <source>No collections yet</source>
        <translation>Noch keine Sammlungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/chooser.py" line="72"/>
        <source>Manage documents…</source>
        <translation>Dokumente verwalten …</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/chooser.py" line="74"/>
        <source>Documents: {names}</source>
        <translation>Dokumente: {names}</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/chooser.py" line="75"/>
        <source>Documents: off</source>
        <translation>Dokumente: aus</translation>
    </message>
</context>
<context>
    <name>DocumentsController</name>
    <message>
        <location filename="../../app/ui/documents/controller.py" line="37"/>
        <source>There is not enough free space on the drive for the document index. What was indexed until now is kept.</source>
        <translation>Auf dem Laufwerk ist nicht genug Platz für den Dokumentindex. Was bisher erfasst wurde, bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/controller.py" line="40"/>
        <source>The embedding model cannot be used: {reason}</source>
        <translation>Das Embedding-Modell lässt sich nicht verwenden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/controller.py" line="43"/>
        <source>The document index was made by a newer version of MoEscope and cannot be used by this one.</source>
        <translation>Der Dokumentindex wurde von einer neueren Version von MoEscope angelegt und kann von dieser nicht verwendet werden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/controller.py" line="45"/>
        <source>The document index cannot be used: {reason}</source>
        <translation>Der Dokumentindex kann nicht verwendet werden: {reason}</translation>
    </message>
</context>
<context>
    <name>DocumentsDialog</name>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="54"/>
        <source>Documents — MoEscope</source>
        <translation>Dokumente — MoEscope</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="57"/>
        <source>Ask your own documents: MoEscope reads PDF, Word, text, Markdown and HTML files on this computer and finds the passages that answer a question. Nothing is sent anywhere. In the chat, choose Documents to ask them.</source>
        <translation>Befragen Sie Ihre eigenen Dokumente: MoEscope liest PDF-, Word-, Text-, Markdown- und HTML-Dateien auf diesem Computer und findet die Abschnitte, die eine Frage beantworten. Nichts wird irgendwohin gesendet. Wählen Sie im Chat „Dokumente“, um sie zu befragen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="63"/>
        <source>Document collections</source>
        <translation>Dokumentsammlungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="67"/>
        <source>New collection…</source>
        <translation>Neue Sammlung …</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="68"/>
        <source>Name a new collection and choose a folder for it</source>
        <translation>Eine neue Sammlung benennen und einen Ordner dafür wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="70"/>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="71"/>
        <source>Add a folder (with its subfolders) to the chosen collection</source>
        <translation>Einen Ordner (mit Unterordnern) zur gewählten Sammlung hinzufügen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="73"/>
        <source>Add files…</source>
        <translation>Dateien hinzufügen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="74"/>
        <source>Add single files to the chosen collection</source>
        <translation>Einzelne Dateien zur gewählten Sammlung hinzufügen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="76"/>
        <source>Update</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="77"/>
        <source>Read new and changed files again; deleted files leave the index</source>
        <translation>Neue und geänderte Dateien neu einlesen; gelöschte Dateien verlassen den Index</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="79"/>
        <source>Remove…</source>
        <translation>Entfernen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="80"/>
        <source>Remove the collection and its index; the files themselves stay</source>
        <translation>Die Sammlung und ihren Index entfernen; die Dateien selbst bleiben</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="92"/>
        <source>Search by meaning with</source>
        <translation>Nach Bedeutung suchen mit</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="94"/>
        <source>An embedding model finds passages that say the same in other words, in German and English. Without one, passages are found by the words of the question.</source>
        <translation>Ein Embedding-Modell findet auch Abschnitte, die dasselbe mit anderen Worten sagen – auf Deutsch und Englisch. Ohne eines werden Abschnitte über die Wörter der Frage gefunden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="97"/>
        <source>Search by meaning with:</source>
        <translation>Nach Bedeutung suchen mit:</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="105"/>
        <source>Indexing progress</source>
        <translation>Fortschritt beim Einlesen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="108"/>
        <location filename="../../app/ui/documents/dialog.py" line="350"/>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="110"/>
        <source>Stop</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="111"/>
        <source>Stop indexing; what was read until now is kept</source>
        <translation>Das Einlesen abbrechen; was bisher gelesen wurde, bleibt erhalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="119"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="119"/>
        <source>Why it was skipped</source>
        <translation>Warum sie übersprungen wurde</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="120"/>
        <source>Files that could not be read</source>
        <translation>Dateien, die nicht gelesen werden konnten</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="123"/>
        <source>Files that could not be read:</source>
        <translation>Dateien, die nicht gelesen werden konnten:</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="160"/>
        <source>New collection</source>
        <translation>Neue Sammlung</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="160"/>
        <source>Name of the collection:</source>
        <translation>Name der Sammlung:</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="162"/>
        <source>Choose the folder of documents</source>
        <translation>Den Ordner mit den Dokumenten wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="170"/>
        <source>Choose a folder of documents</source>
        <translation>Einen Ordner mit Dokumenten wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="178"/>
        <source>Choose documents</source>
        <translation>Dokumente wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="179"/>
        <source>Documents ({patterns})</source>
        <translation>Dokumente ({patterns})</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="187"/>
        <source>Remove the collection?</source>
        <translation>Die Sammlung entfernen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="188"/>
        <source>The collection “{name}” and its index are removed from this computer. The documents themselves stay where they are.</source>
        <translation>Die Sammlung „{name}“ und ihr Index werden von diesem Computer entfernt. Die Dokumente selbst bleiben, wo sie sind.</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="191"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="205"/>
        <source>Wait until “{name}” is indexed.</source>
        <translation>Warten Sie, bis „{name}“ eingelesen ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="207"/>
        <source>Reading the documents of “{name}”…</source>
        <translation>Die Dokumente von „{name}“ werden gelesen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="228"/>
        <source>Giving the passages of “{name}” their vectors…</source>
        <translation>Die Abschnitte von „{name}“ bekommen ihre Vektoren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="229"/>
        <source>“{name}” is searched by its words only from now on.</source>
        <translation>„{name}“ wird ab jetzt nur noch nach Wörtern durchsucht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="246"/>
        <source>Vectors for search by meaning: {done} of {total} passages</source>
        <translation>Vektoren für die Suche nach Bedeutung: {done} von {total} Abschnitten</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="249"/>
        <source>{done} of {total} files · {name}</source>
        <translation>{done} von {total} Dateien · {name}</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="257"/>
        <source>“{name}” is up to date: {added} added, {updated} changed, {removed} removed, {skipped} not readable.</source>
        <translation>„{name}“ ist aktuell: {added} hinzugefügt, {updated} geändert, {removed} entfernt, {skipped} nicht lesbar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="261"/>
        <source>Some passages can only be found by their words: {reason}</source>
        <translation>Manche Abschnitte lassen sich nur über ihre Wörter finden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="271"/>
        <source>Indexing “{name}” was stopped; what was read until then is kept.</source>
        <translation>Das Einlesen von „{name}“ wurde abgebrochen; was bis dahin gelesen wurde, bleibt erhalten.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/documents/dialog.py" line="297"/>
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n Dokument</numerusform>
            <numerusform>%n Dokumente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/documents/dialog.py" line="297"/>
        <source>%n passage(s)</source>
        <translation>
            <numerusform>%n Abschnitt</numerusform>
            <numerusform>%n Abschnitte</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/documents/dialog.py" line="299"/>
        <source>%n not readable</source>
        <translation>
            <numerusform>%n nicht lesbar</numerusform>
            <numerusform>%n nicht lesbar</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="301"/>
        <source>by meaning</source>
        <translation>nach Bedeutung</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="313"/>
        <source>{name} (file not found)</source>
        <translation>{name} (Datei nicht gefunden)</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="316"/>
        <source>Words only</source>
        <translation>Nur nach Wörtern</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/dialog.py" line="350"/>
        <source>Go on</source>
        <translation>Fortsetzen</translation>
    </message>
</context>
<context>
    <name>DownloadController</name>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="207"/>
        <location filename="../../app/ui/library/download_controller.py" line="218"/>
        <source>This model cannot be downloaded</source>
        <translation>Dieses Modell kann nicht heruntergeladen werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="227"/>
        <source>Already in the library</source>
        <translation>Bereits in der Bibliothek</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="229"/>
        <source>Downloading…</source>
        <translation>Wird heruntergeladen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="233"/>
        <source>Download ({size})</source>
        <translation>Herunterladen ({size})</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="235"/>
        <source>Download (about {size})</source>
        <translation>Herunterladen (etwa {size})</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="237"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="246"/>
        <source>Offline mode is off now: press Try again to download.</source>
        <translation>Der Offline-Modus ist jetzt aus: Klicken Sie auf „Erneut versuchen“, um herunterzuladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="312"/>
        <source>“{name}” was downloaded and checked; it is now in your library.</source>
        <translation>„{name}“ wurde heruntergeladen und geprüft; es ist jetzt in Ihrer Bibliothek.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="333"/>
        <source>Not enough free space</source>
        <translation>Nicht genug freier Speicherplatz</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/download_controller.py" line="345"/>
        <source>The download cannot continue</source>
        <translation>Der Download kann nicht fortgesetzt werden</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="70"/>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="71"/>
        <source>Stop for now; what was downloaded is kept</source>
        <translation>Vorerst anhalten; das bereits Heruntergeladene bleibt erhalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="72"/>
        <location filename="../../app/ui/library/downloads.py" line="96"/>
        <location filename="../../app/ui/library/downloads.py" line="127"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="73"/>
        <location filename="../../app/ui/library/downloads.py" line="128"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="74"/>
        <location filename="../../app/ui/library/downloads.py" line="129"/>
        <source>Stop and delete what was downloaded so far</source>
        <translation>Beenden und das bisher Heruntergeladene löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="75"/>
        <source>Hugging Face token…</source>
        <translation>Hugging-Face-Token…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="99"/>
        <source>Not downloaded yet. Start it again?</source>
        <translation>Noch nicht heruntergeladen. Erneut starten?</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="103"/>
        <source>Unfinished: {done} of {total} were downloaded before. Resume it?</source>
        <translation>Unvollständig: {done} von {total} wurden bereits heruntergeladen. Fortsetzen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="108"/>
        <source>Unfinished: {done} were downloaded before. Resume it?</source>
        <translation>Unvollständig: {done} wurden bereits heruntergeladen. Fortsetzen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="113"/>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="114"/>
        <source>Delete what was downloaded so far</source>
        <translation>Das bisher Heruntergeladene löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="100"/>
        <location filename="../../app/ui/library/downloads.py" line="127"/>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="128"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message>
        <location filename="../../app/ui/library/downloads.py" line="226"/>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
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
    <name>EngineWords</name>
    <message>
        <location filename="../../app/ui/engine_words.py" line="39"/>
        <source>The engine stopped {count} times within a minute, so it was not started again. Please restart MoEscope.</source>
        <translation>Die Engine wurde innerhalb einer Minute {count}-mal beendet und deshalb nicht erneut gestartet. Bitte starten Sie MoEscope neu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="45"/>
        <source>The engine could not be started: {reason}</source>
        <translation>Die Engine konnte nicht gestartet werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="47"/>
        <source>The engine is not running. Please try again in a moment.</source>
        <translation>Die Engine läuft nicht. Bitte versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="49"/>
        <source>The engine stopped while loading this file. It may be damaged or not supported by this version of MoEscope.</source>
        <translation>Die Engine wurde beim Laden dieser Datei beendet. Die Datei ist vielleicht beschädigt oder wird von dieser Version von MoEscope nicht unterstützt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="55"/>
        <source>The engine was ended while loading this model, most likely because the computer ran out of memory. Close other programs, or choose a smaller model.</source>
        <translation>Die Engine wurde beim Laden dieses Modells beendet, höchstwahrscheinlich weil der Arbeitsspeicher des Computers nicht reichte. Schließen Sie andere Programme oder wählen Sie ein kleineres Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="70"/>
        <source>The model&apos;s chat template could not turn this conversation into a prompt ({problem}). Start a new chat, or choose another model.</source>
        <translation>Die Chat-Vorlage des Modells konnte dieses Gespräch nicht in eine Eingabe umsetzen ({problem}). Beginnen Sie einen neuen Chat oder wählen Sie ein anderes Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="80"/>
        <source>This model&apos;s own chat template cannot be used ({problem}), so MoEscope writes its prompts in a simpler format. Answers may be less good.</source>
        <translation>Die eigene Chat-Vorlage dieses Modells lässt sich nicht verwenden ({problem}), daher schreibt MoEscope die Eingaben in einem einfacheren Format. Die Antworten können schlechter sein.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="89"/>
        <source>The conversation no longer fits into the model&apos;s context: its oldest messages ({count}) were left out of this answer. They stay in the conversation.</source>
        <translation>Das Gespräch passt nicht mehr in den Kontext des Modells: Seine ältesten Nachrichten ({count}) blieben bei dieser Antwort außen vor. Sie bleiben im Gespräch erhalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="98"/>
        <source>while loading this model</source>
        <translation>beim Laden dieses Modells</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="98"/>
        <source>while answering with this model</source>
        <translation>beim Antworten mit diesem Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="100"/>
        <source>The engine crashed {doing}: this processor trips over a fast setting of llama.cpp. MoEscope switched the model to compatibility mode and will use it from now on. The answers stay the same; they may come up to about {percent} % slower, and for many models no slower at all.</source>
        <translation>Die Engine ist {doing} abgestürzt: Dieser Prozessor verträgt eine schnelle Einstellung von llama.cpp nicht. MoEscope hat das Modell in den Kompatibilitätsmodus geschaltet und nutzt ihn ab jetzt. Die Antworten bleiben gleich; sie kommen bis zu etwa {percent} % langsamer, bei vielen Modellen gar nicht langsamer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="111"/>
        <source>while loading the model</source>
        <translation>beim Laden des Modells</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="112"/>
        <source>while answering</source>
        <translation>beim Antworten</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="113"/>
        <source>while unloading the model</source>
        <translation>beim Entladen des Modells</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="114"/>
        <source>while it was waiting</source>
        <translation>im Leerlauf</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="117"/>
        <source>The engine stopped answering {doing}.</source>
        <translation>Die Engine hat {doing} aufgehört zu reagieren.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="119"/>
        <source>The engine was ended from outside {doing}, perhaps by the system because memory ran out.</source>
        <translation>Die Engine wurde {doing} von außen beendet, vielleicht vom System, weil der Arbeitsspeicher nicht reichte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="124"/>
        <source>The engine was asked to quit from outside {doing}.</source>
        <translation>Die Engine wurde {doing} von außen aufgefordert, sich zu beenden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="126"/>
        <source>The engine quit unexpectedly {doing} (error code {code}).</source>
        <translation>Die Engine hat sich {doing} unerwartet beendet (Fehlercode {code}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="129"/>
        <source>The engine crashed {doing}.</source>
        <translation>Die Engine ist {doing} abgestürzt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="131"/>
        <source>The model may need more memory than is free: close other programs, or choose a smaller model in the Model library.</source>
        <translation>Das Modell braucht vielleicht mehr Arbeitsspeicher, als frei ist: Schließen Sie andere Programme oder wählen Sie in der Modellbibliothek ein kleineres Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="136"/>
        <source>The model file may be damaged or not supported by this version of MoEscope. You can choose another model in the Model library.</source>
        <translation>Die Modelldatei ist vielleicht beschädigt oder wird von dieser MoEscope-Version nicht unterstützt. In der Modellbibliothek können Sie ein anderes Modell wählen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="140"/>
        <source>Your conversation is kept; MoEscope starts a fresh engine.</source>
        <translation>Ihr Gespräch bleibt erhalten; MoEscope startet eine neue Engine.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="146"/>
        <source>llama.cpp could not read the model into memory: there may not be enough free memory for it, or the file is damaged.</source>
        <translation>llama.cpp konnte das Modell nicht in den Arbeitsspeicher laden: Vielleicht ist nicht genug Arbeitsspeicher frei, oder die Datei ist beschädigt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="151"/>
        <source>llama.cpp could not set aside its working memory for a context of {n_ctx} tokens, most likely because there is not enough free memory. Close other programs, or choose a smaller model.</source>
        <translation>llama.cpp konnte den Arbeitsspeicher für einen Kontext von {n_ctx} Token nicht reservieren, höchstwahrscheinlich weil nicht genug Arbeitsspeicher frei ist. Schließen Sie andere Programme oder wählen Sie ein kleineres Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="166"/>
        <source>This message is too long for the model: with it, the conversation has at least {tokens} tokens (pieces of words), but the model reads only {n_ctx} at a time (its context).</source>
        <translation>Diese Nachricht ist zu lang für das Modell: Mit ihr umfasst das Gespräch mindestens {tokens} Token (Wortteile), das Modell liest aber höchstens {n_ctx} auf einmal (sein Kontext).</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="170"/>
        <source>This message is too long for the model: with it, the conversation has {tokens} tokens (pieces of words), but the model reads only {n_ctx} at a time (its context).</source>
        <translation>Diese Nachricht ist zu lang für das Modell: Mit ihr umfasst das Gespräch {tokens} Token (Wortteile), das Modell liest aber höchstens {n_ctx} auf einmal (sein Kontext).</translation>
    </message>
    <message>
        <location filename="../../app/ui/engine_words.py" line="175"/>
        <source>Shorten the message, or start a new chat.</source>
        <translation>Kürzen Sie die Nachricht oder beginnen Sie einen neuen Chat.</translation>
    </message>
</context>
<context>
    <name>EvidenceReport</name>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="23"/>
        <source>moescope-evidence-{stamp}.html</source>
        <comment>file name; keep {stamp} and .html, no spaces</comment>
        <translation>moescope-nachweis-{stamp}.html</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="35"/>
        <source>The sockets of both processes are listed every {interval} s (%n check(s) so far); connections and listening sockets are logged.</source>
        <translation>
            <numerusform>Die Netzwerkverbindungen beider Prozesse werden alle {interval} s aufgelistet (bisher %n Prüfung); Verbindungen und offene Ports werden protokolliert.</numerusform>
            <numerusform>Die Netzwerkverbindungen beider Prozesse werden alle {interval} s aufgelistet (bisher %n Prüfungen); Verbindungen und offene Ports werden protokolliert.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="58"/>
        <source>attempt</source>
        <comment>kind of log entry</comment>
        <translation>Versuch</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="59"/>
        <source>refused</source>
        <comment>kind of log entry</comment>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="60"/>
        <source>connection</source>
        <comment>kind of log entry</comment>
        <translation>Verbindung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="61"/>
        <source>listening</source>
        <comment>kind of log entry</comment>
        <translation>wartet auf Verbindungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="67"/>
        <source>local</source>
        <translation>lokal</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="68"/>
        <source>allowed (user action)</source>
        <translation>erlaubt (Auftrag des Benutzers)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="69"/>
        <source>blocked</source>
        <translation>blockiert</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="70"/>
        <source>UNEXPECTED</source>
        <translation>UNERWARTET</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="79"/>
        <source>MoEscope — evidence of data locality</source>
        <translation>MoEscope — Nachweis: Ihre Daten bleiben auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="80"/>
        <source>Generated {generated} on {computer} ({system}). MoEscope {version}, {build}: {program}. Session started {started}.</source>
        <translation>Erstellt am {generated} auf {computer} ({system}). MoEscope {version}, {build}: {program}. Sitzung begonnen am {started}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="85"/>
        <source>installed build</source>
        <translation>installierte Fassung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="86"/>
        <source>Python {version}</source>
        <translation>Python {version}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="87"/>
        <source>This session: {verdict}</source>
        <translation>Diese Sitzung: {verdict}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="88"/>
        <source>Network policy</source>
        <translation>Netzwerk-Regeln</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="90"/>
        <source>Item</source>
        <translation>Punkt</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="91"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="93"/>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="94"/>
        <source>Offline: every network action is refused</source>
        <translation>Offline: jeder Netzwerkzugriff wird abgelehnt</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="95"/>
        <source>Local: the network only for downloads or searches the user starts</source>
        <translation>Lokal: Netzwerk nur für Downloads oder Suchen, die der Benutzer startet</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="98"/>
        <source>Allowed</source>
        <translation>Erlaubt</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="99"/>
        <source>Offline mode: connections only within this computer ({networks}); downloads and searches are refused.</source>
        <translation>Offline-Modus: Verbindungen nur innerhalb dieses Computers ({networks}); Downloads und Suchen werden abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="104"/>
        <source>Connections only within this computer ({networks}), except to the host of a download or search the user starts, while it runs.</source>
        <translation>Verbindungen nur innerhalb dieses Computers ({networks}), außer zum Server eines Downloads oder einer Suche, die der Benutzer startet, solange sie läuft.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="109"/>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="110"/>
        <source>Company server</source>
        <translation>Firmenserver</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="111"/>
        <source>{host} ({where}), in use since {since}: the questions asked in MoEscope and their answers go to this server</source>
        <translation>{host} ({where}), in Gebrauch seit {since}: Die in MoEscope gestellten Fragen und ihre Antworten gehen an diesen Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="116"/>
        <source>private network address</source>
        <translation>private Netzwerkadresse</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="117"/>
        <source>public address</source>
        <translation>öffentliche Adresse</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="118"/>
        <source>none: the answers are computed on this computer</source>
        <translation>keiner: Die Antworten werden auf diesem Computer berechnet</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="119"/>
        <source>User actions running now</source>
        <translation>Laufende Aufträge des Benutzers</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="120"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="121"/>
        <source>Enforcement</source>
        <translation>Durchsetzung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="122"/>
        <source>Every outgoing connection, datagram and name lookup of the window process and of the engine process is checked against this policy before it is made; refused ones never reach the network and are logged, allowed ones are logged with their outcome.</source>
        <translation>Jede ausgehende Verbindung, jedes Datenpaket und jede Namensabfrage des Fensters und der Engine wird vorher mit diesen Regeln geprüft. Abgelehnte erreichen nie das Netzwerk und werden protokolliert; erlaubte werden mit ihrem Ergebnis protokolliert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="129"/>
        <source>Monitoring</source>
        <translation>Überwachung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="131"/>
        <source>Hugging Face client</source>
        <translation>Hugging-Face-Zugang</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="132"/>
        <source>Where MoEscope keeps data</source>
        <translation>Wo MoEscope Daten speichert</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="134"/>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="135"/>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="137"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="138"/>
        <source>Application data</source>
        <translation>Programmdaten</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="139"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="140"/>
        <source>Connection log</source>
        <translation>Verbindungsprotokoll</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="141"/>
        <source>Connection log of this session</source>
        <translation>Verbindungsprotokoll dieser Sitzung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="143"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="144"/>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="145"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="146"/>
        <source>Remote / address</source>
        <translation>Gegenstelle / Adresse</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="147"/>
        <location filename="../../app/ui/locality/report_words.py" line="171"/>
        <source>Verdict</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="148"/>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="149"/>
        <source>User action</source>
        <translation>Auftrag des Benutzers</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="150"/>
        <source>Detail</source>
        <translation>Einzelheiten</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="152"/>
        <source>{process} (pid {pid})</source>
        <translation>{process} (Prozessnummer {pid})</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="153"/>
        <source>window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="154"/>
        <source>engine</source>
        <translation>Engine</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="159"/>
        <source>No entries: no connection, connection attempt or listening socket was seen.</source>
        <translation>Keine Einträge: Es wurde keine Verbindung, kein Verbindungsversuch und kein offener Port festgestellt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="162"/>
        <source>Connection log file: {path}</source>
        <translation>Datei des Verbindungsprotokolls: {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="163"/>
        <source>The connection log file could not be written ({error}); the entries above were kept in memory.</source>
        <translation>Die Datei des Verbindungsprotokolls konnte nicht geschrieben werden ({error}); die Einträge oben wurden im Arbeitsspeicher behalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="167"/>
        <source>Earlier sessions</source>
        <translation>Frühere Sitzungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="169"/>
        <source>Session started</source>
        <translation>Sitzung begonnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="170"/>
        <source>Entries</source>
        <translation>Einträge</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="173"/>
        <source>There is no log of an earlier session on this computer.</source>
        <translation>Auf diesem Computer gibt es kein Protokoll einer früheren Sitzung.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="176"/>
        <source>Nothing left this computer: {reasons}.</source>
        <translation>Nichts hat diesen Computer verlassen: {reasons}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="177"/>
        <source>Nothing left this computer: no connection to another computer was made or attempted.</source>
        <translation>Nichts hat diesen Computer verlassen: Es wurde keine Verbindung zu einem anderen Computer hergestellt oder versucht.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="40"/>
        <source>%n attempt(s) blocked before anything was sent</source>
        <translation>
            <numerusform>%n Versuch blockiert, bevor etwas gesendet wurde</numerusform>
            <numerusform>%n Versuche blockiert, bevor etwas gesendet wurde</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="43"/>
        <source>%n download(s) or search(es) the user started were not run because offline mode was on</source>
        <translation>
            <numerusform>%n vom Benutzer gestarteter Download oder Suche wurde nicht ausgeführt, weil der Offline-Modus an war</numerusform>
            <numerusform>%n vom Benutzer gestartete Downloads oder Suchen wurden nicht ausgeführt, weil der Offline-Modus an war</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="47"/>
        <source>%n UNEXPECTED connection(s) or listening socket(s) seen open.</source>
        <translation>
            <numerusform>%n UNERWARTETE Verbindung oder offener Port festgestellt.</numerusform>
            <numerusform>%n UNERWARTETE Verbindungen oder offene Ports festgestellt.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="184"/>
        <source>Connections to other computers were made for downloads or searches the user started: {actions}.</source>
        <translation>Für Downloads oder Suchen, die der Benutzer gestartet hat, wurden Verbindungen zu anderen Computern hergestellt: {actions}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="188"/>
        <source>No connection to another computer was made for downloads or searches the user started: {actions}.</source>
        <translation>Für Downloads oder Suchen, die der Benutzer gestartet hat, wurde keine Verbindung zu einem anderen Computer hergestellt: {actions}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="193"/>
        <source>No connection was made for: {actions}.</source>
        <translation>Keine Verbindung wurde hergestellt für: {actions}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/report_words.py" line="195"/>
        <source>{action} — {places}</source>
        <translation>{action} — {places}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/report_words.py" line="50"/>
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weiterer</numerusform>
            <numerusform>und %n weitere</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExpertHeatmap</name>
    <message>
        <location filename="../../app/ui/experts/heatmap.py" line="108"/>
        <source>Expert heatmap</source>
        <translation>Experten-Heatmap</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap.py" line="159"/>
        <source>Layer {layer} · expert {expert} · not chosen</source>
        <translation>Schicht {layer} · Experte {expert} · nicht gewählt</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap.py" line="163"/>
        <source>Layer {layer} · expert {expert} · chosen · gate weight: —</source>
        <translation>Schicht {layer} · Experte {expert} · gewählt · Gewicht: —</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap.py" line="165"/>
        <source>Layer {layer} · expert {expert} · {what}: {value}</source>
        <translation>Schicht {layer} · Experte {expert} · {what}: {value}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap.py" line="223"/>
        <source>chosen</source>
        <translation>gewählt</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap.py" line="225"/>
        <source>shared: always on</source>
        <translation>geteilt: immer aktiv</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap_static.py" line="116"/>
        <source>S</source>
        <translation>G</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap_static.py" line="83"/>
        <source>Expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap_static.py" line="91"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap_static.py" line="196"/>
        <source>This engine reports which experts were chosen, not their weights.</source>
        <translation>Diese Engine meldet, welche Experten gewählt wurden, aber nicht ihre Gewichte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap.py" line="223"/>
        <source>not chosen</source>
        <translation>nicht gewählt</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/heatmap.py" line="508"/>
        <source>Shared expert: works on every token, no router decides about it</source>
        <translation>Geteilter Experte: arbeitet an jedem Token, kein Router entscheidet über ihn</translation>
    </message>
</context>
<context>
    <name>ExpertsMenu</name>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="40"/>
        <source>&amp;Experts</source>
        <translation>&amp;Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="45"/>
        <source>&amp;Presentation mode</source>
        <translation>&amp;Präsentationsmodus</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="49"/>
        <source>The expert view large and dark, for a projector (F5)</source>
        <translation>Die Expertenansicht groß und dunkel, für einen Beamer (F5)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="52"/>
        <source>Expert view on a &amp;second screen</source>
        <translation>Expertenansicht auf einem &amp;zweiten Bildschirm</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="56"/>
        <source>Read the router&apos;s &amp;scores</source>
        <translation>Die &amp;Bewertungen des Routers auslesen</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="59"/>
        <source>The router diagram shows the router&apos;s score for every expert, not only the chosen ones. Reading them makes answers a few percent slower; it takes effect when a model is loaded.</source>
        <translation>Das Router-Diagramm zeigt die Bewertung des Routers für jeden Experten, nicht nur für die gewählten. Das Auslesen macht Antworten einige Prozent langsamer; es wirkt ab dem nächsten Laden eines Modells.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="63"/>
        <source>&amp;Compare experts per token…</source>
        <translation>Experten pro Token &amp;vergleichen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="64"/>
        <source>The same question answered with two numbers of experts per token, side by side</source>
        <translation>Dieselbe Frage, mit zwei Anzahlen von Experten pro Token beantwortet, nebeneinander</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="70"/>
        <source>Save the view as a &amp;picture…</source>
        <translation>Ansicht als &amp;Bild speichern …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="72"/>
        <source>Save the view as a picture with a &amp;transparent background…</source>
        <translation>Ansicht als Bild mit &amp;transparentem Hintergrund speichern …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="74"/>
        <source>Save the &amp;replay as pictures…</source>
        <translation>&amp;Wiedergabe als Bilder speichern …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="76"/>
        <source>Save the routing as &amp;CSV…</source>
        <translation>Routing als &amp;CSV speichern …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="76"/>
        <source>Save the routing as &amp;JSON…</source>
        <translation>Routing als &amp;JSON speichern …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="142"/>
        <source>There is no routing to save yet: ask a question, or open an answer&apos;s experts.</source>
        <translation>Es gibt noch kein Routing zum Speichern: Stellen Sie eine Frage oder öffnen Sie die Experten einer Antwort.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="150"/>
        <source>Save the expert view as a picture</source>
        <translation>Expertenansicht als Bild speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="151"/>
        <source>PNG pictures (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="155"/>
        <source>Saved the expert view as {file}.</source>
        <translation>Die Expertenansicht wurde als {file} gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="157"/>
        <source>{file} could not be written.</source>
        <translation>{file} konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="162"/>
        <source>Folder for the replay&apos;s pictures</source>
        <translation>Ordner für die Bilder der Wiedergabe</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="172"/>
        <source>The replay&apos;s pictures stopped after {count}: {error}</source>
        <translation>Die Bilder der Wiedergabe brachen nach {count} ab: {error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="175"/>
        <source>Saved {count} pictures of the replay in {folder}.</source>
        <translation>{count} Bilder der Wiedergabe wurden in {folder} gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="181"/>
        <source>CSV tables (*.csv)</source>
        <translation>CSV-Tabellen (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="182"/>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="183"/>
        <source>Save the routing</source>
        <translation>Routing speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="189"/>
        <source>{file} could not be written: {reason}</source>
        <translation>{file} konnte nicht geschrieben werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/menu.py" line="192"/>
        <source>Saved the routing as {file}.</source>
        <translation>Das Routing wurde als {file} gespeichert.</translation>
    </message>
</context>
<context>
    <name>ExpertsPane</name>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="105"/>
        <source>No model loaded yet.

Load a model in the Model library to see which experts work on each word the model reads and writes.</source>
        <translation>Noch kein Modell geladen.

Laden Sie ein Modell in der Modellbibliothek, um zu sehen, welche Experten an jedem Wort arbeiten, das das Modell liest und schreibt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="172"/>
        <location filename="../../app/ui/experts/pane.py" line="382"/>
        <source>Current token</source>
        <translation>Aktuelles Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="270"/>
        <source>A kept answer: select a token, or replay it</source>
        <translation>Eine gespeicherte Antwort: Wählen Sie ein Token oder spielen Sie sie ab</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="271"/>
        <source>The answer being written</source>
        <translation>Die Antwort, die gerade entsteht</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="295"/>
        <source>The last answer: select a token, or replay it</source>
        <translation>Die letzte Antwort: Wählen Sie ein Token oder spielen Sie sie ab</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="385"/>
        <source>The tokens of the next answer appear here as they are written.</source>
        <translation>Die Tokens der nächsten Antwort erscheinen hier, während sie entstehen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="408"/>
        <source>{tokens}: the share of each layer’s routing weight that went to each expert. Grey: never chosen.</source>
        <translation>{tokens}: der Anteil am Routing-Gewicht jeder Schicht, der an jeden Experten ging. Grau: nie gewählt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="424"/>
        <source>Over {tokens}: the share of each layer’s routing weight that went to each expert. Grey: never chosen.</source>
        <translation>Über {tokens}: der Anteil am Routing-Gewicht jeder Schicht, der an jeden Experten ging. Grau: nie gewählt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="430"/>
        <source>This engine reports which experts were chosen, not their weights.</source>
        <translation>Diese Engine meldet, welche Experten gewählt wurden, aber nicht ihre Gewichte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="433"/>
        <source>Chosen</source>
        <translation>Gewählt</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="435"/>
        <source>Coloured cells: the experts the router chose for this token. {unweighed} Grey: not chosen.</source>
        <translation>Farbige Felder: die Experten, die der Router für dieses Token gewählt hat. {unweighed} Grau: nicht gewählt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="442"/>
        <source>Share of choices</source>
        <translation>Anteil der Wahlen</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="444"/>
        <source>{tokens}: how often each expert was chosen, as a share of its layer’s choices. {unweighed} Grey: never chosen.</source>
        <translation>{tokens}: wie oft jeder Experte gewählt wurde, als Anteil an den Wahlen seiner Schicht. {unweighed} Grau: nie gewählt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="391"/>
        <source>This token has no visible text of its own, for example part of a character made of several tokens.</source>
        <translation>Dieses Token hat keinen eigenen sichtbaren Text, zum Beispiel weil es Teil eines Zeichens aus mehreren Tokens ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="415"/>
        <source>Coloured cells: the experts the router chose for this token. The colour (and the number, where there is room) is the expert’s gate weight — how much its result counts. Grey: not chosen.</source>
        <translation>Farbige Felder: die Experten, die der Router für dieses Token gewählt hat. Die Farbe (und, wo Platz ist, die Zahl) ist das Gewicht des Experten — wie stark sein Ergebnis zählt. Grau: nicht gewählt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="384"/>
        <location filename="../../app/ui/experts/pane.py" line="413"/>
        <source>Gate weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/pane.py" line="406"/>
        <location filename="../../app/ui/experts/pane.py" line="422"/>
        <source>Share of weight</source>
        <translation>Gewichtsanteil</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/model_words.py" line="16"/>
        <source>Active now: {active} of {total} parameters ({share})</source>
        <translation>Jetzt aktiv: {active} von {total} Parametern ({share})</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/model_words.py" line="26"/>
        <source>For every token the router picks {k} of {n} experts in each of the {layers} MoE layers.</source>
        <translation>Für jedes Token wählt der Router in jeder der {layers} MoE-Schichten {k} von {n} Experten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/model_words.py" line="37"/>
        <source>Plus 1 shared expert per layer that works on every token (always on: the hatched column “S”).</source>
        <translation>Dazu 1 geteilter Experte pro Schicht, der an jedem Token arbeitet (immer aktiv: die schraffierte Spalte „G“).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/model_words.py" line="45"/>
        <source>Plus {count} shared experts per layer that work on every token (always on: the hatched columns “S”).</source>
        <translation>Dazu {count} geteilte Experten pro Schicht, die an jedem Token arbeiten (immer aktiv: die schraffierten Spalten „G“).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/model_words.py" line="52"/>
        <source>The first layer has no experts (dense).</source>
        <translation>Die erste Schicht hat keine Experten (dicht).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/model_words.py" line="55"/>
        <source>The first {count} layers have no experts (dense).</source>
        <translation>Die ersten {count} Schichten haben keine Experten (dicht).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/model_words.py" line="61"/>
        <source>Demo model with random weights: its text is gibberish, the routing mechanics are real.</source>
        <translation>Demo-Modell mit Zufallsgewichten: Sein Text ist Kauderwelsch, die Routing-Mechanik ist echt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/model_words.py" line="70"/>
        <source>“{name}” is a dense model.

In a dense model every parameter works on every token: there is no router and there are no experts to choose from, so there is nothing to show here.

Active now: all {total} parameters (100 %).

Load a Mixture-of-Experts (MoE) model to watch its router pick experts token by token.</source>
        <translation>„{name}“ ist ein dichtes Modell (dense).

In einem dichten Modell arbeitet jeder Parameter an jedem Token: Es gibt keinen Router und keine Experten zur Auswahl, deshalb gibt es hier nichts zu zeigen.

Jetzt aktiv: alle {total} Parameter (100 %).

Laden Sie ein Mixture-of-Experts-Modell (MoE), um zuzusehen, wie sein Router Token für Token Experten auswählt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="54"/>
        <source>This token</source>
        <translation>Dieses Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="55"/>
        <source>Experts the router picked for the selected token, with their gate weights</source>
        <translation>Die Experten, die der Router für das gewählte Token nahm, mit ihren Gewichten</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="62"/>
        <source>Whole answer</source>
        <translation>Ganze Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="63"/>
        <source>Share of the routing weight each expert received over the answer up to the selected token</source>
        <translation>Anteil am Routing-Gewicht, den jeder Experte über die Antwort bis zum gewählten Token bekam</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="75"/>
        <source>Heatmap</source>
        <translation>Heatmap</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="76"/>
        <source>All layers and experts at once</source>
        <translation>Alle Schichten und Experten auf einmal</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="80"/>
        <source>Router</source>
        <translation>Router</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="81"/>
        <source>One layer&apos;s router at work: token, scores, chosen experts, weighted sum</source>
        <translation>Der Router einer Schicht bei der Arbeit: Token, Bewertungen, gewählte Experten, gewichtete Summe</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="88"/>
        <source>Numbers</source>
        <translation>Zahlen</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="89"/>
        <source>Numbers a speaker can say out loud, with Copy for slide</source>
        <translation>Zahlen zum Vortragen, mit „Für Folie kopieren“</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="95"/>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="107"/>
        <source>Colour the tokens by</source>
        <translation>Tokens färben nach</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="109"/>
        <source>Colour each token by the expert that got the highest weight in a layer: which expert took which word</source>
        <translation>Jedes Token nach dem Experten färben, der in einer Schicht das höchste Gewicht bekam: welcher Experte welches Wort übernahm</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="115"/>
        <source>Colour tokens by</source>
        <translation>Tokens färben nach</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="133"/>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/view_controls.py" line="136"/>
        <source>top expert in layer {layer}</source>
        <translation>Top-Experte in Schicht {layer}</translation>
    </message>
</context>
<context>
    <name>FileMenu</name>
    <message>
        <location filename="../../app/ui/file_menu.py" line="40"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../../app/ui/file_menu.py" line="44"/>
        <source>&amp;Offline mode</source>
        <translation>&amp;Offline-Modus</translation>
    </message>
    <message>
        <location filename="../../app/ui/file_menu.py" line="49"/>
        <source>Refuse every connection to another computer, even downloads and searches. Kept for the next start.</source>
        <translation>Jede Verbindung zu einem anderen Computer ablehnen, auch Downloads und Suchen. Bleibt beim nächsten Start erhalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/file_menu.py" line="52"/>
        <source>Data &amp;locality…</source>
        <translation>Daten&amp;verbleib…</translation>
    </message>
    <message>
        <location filename="../../app/ui/file_menu.py" line="54"/>
        <source>Where your data is kept and which connections MoEscope made</source>
        <translation>Wo Ihre Daten liegen und welche Verbindungen MoEscope aufgebaut hat</translation>
    </message>
    <message>
        <location filename="../../app/ui/file_menu.py" line="57"/>
        <source>&amp;Documents…</source>
        <translation>&amp;Dokumente …</translation>
    </message>
    <message>
        <location filename="../../app/ui/file_menu.py" line="59"/>
        <source>Folders of your own documents that the chat can answer from</source>
        <translation>Ordner mit Ihren eigenen Dokumenten, aus denen der Chat antworten kann</translation>
    </message>
    <message>
        <location filename="../../app/ui/file_menu.py" line="63"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
</context>
<context>
    <name>FirstRunGuide</name>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="58"/>
        <source>First steps — MoEscope</source>
        <translation>Erste Schritte — MoEscope</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="72"/>
        <source>&amp;Skip</source>
        <translation>Ü&amp;berspringen</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="73"/>
        <source>Close the guide; Help › First steps… opens it again</source>
        <translation>Die Einführung schließen; Hilfe › Erste Schritte… öffnet sie wieder</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="75"/>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="101"/>
        <source>Welcome to MoEscope</source>
        <translation>Willkommen bei MoEscope</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="103"/>
        <source>MoEscope lets you chat with an AI language model that runs on this computer, and shows which of its “experts” work on each word of the answer.</source>
        <translation>Mit MoEscope chatten Sie mit einem KI-Sprachmodell, das auf diesem Computer läuft, und sehen, welche seiner „Experten“ an jedem Wort der Antwort arbeiten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="106"/>
        <source>This guide takes two minutes: first you choose a model that suits this computer, then you see what the three parts of the window are for.</source>
        <translation>Diese Einführung dauert zwei Minuten: Zuerst wählen Sie ein Modell, das zu diesem Computer passt, dann sehen Sie, wofür die drei Teile des Fensters da sind.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="109"/>
        <source>This guide takes a minute: it shows what the three parts of the window are for.</source>
        <translation>Diese Einführung dauert eine Minute: Sie zeigt, wofür die drei Teile des Fensters da sind.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="111"/>
        <source>Good to know: the “demo MoE” model that comes with MoEscope has random weights. Its answers are gibberish on purpose; it only shows how the experts are chosen.</source>
        <translation>Gut zu wissen: Das Modell „Demo-MoE“, das MoEscope mitbringt, hat zufällige Gewichte. Seine Antworten sind absichtlich Kauderwelsch; es zeigt nur, wie die Experten gewählt werden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="113"/>
        <source>See what stays on this computer</source>
        <translation>Sehen, was auf diesem Computer bleibt</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="115"/>
        <source>Your conversations and models stay on this computer; MoEscope only connects to the internet when you download or search for a model.</source>
        <translation>Ihre Gespräche und Modelle bleiben auf diesem Computer; MoEscope verbindet sich nur mit dem Internet, wenn Sie ein Modell herunterladen oder suchen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="126"/>
        <source>The three parts of the window</source>
        <translation>Die drei Teile des Fensters</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="127"/>
        <source>From left to right, as in the window:</source>
        <translation>Von links nach rechts, wie im Fenster:</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="131"/>
        <source>Model library</source>
        <translation>Modellbibliothek</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="132"/>
        <source>The models on this computer, and more to download. Choose one and press “Load” to chat with it.</source>
        <translation>Die Modelle auf diesem Computer und weitere zum Herunterladen. Wählen Sie eines und drücken Sie „Laden“, um damit zu chatten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="134"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="135"/>
        <source>Type a question and press Enter. The answer appears word by word; earlier conversations are listed beside it.</source>
        <translation>Schreiben Sie eine Frage und drücken Sie die Eingabetaste. Die Antwort erscheint Wort für Wort; frühere Gespräche stehen daneben.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="137"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="138"/>
        <source>While the model writes, you see which of its experts work on each word. Click a word of the answer to see its experts.</source>
        <translation>Während das Modell schreibt, sehen Sie, welche seiner Experten an jedem Wort arbeiten. Klicken Sie auf ein Wort der Antwort, um seine Experten zu sehen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="148"/>
        <source>Help › First steps… opens this guide again.</source>
        <translation>Hilfe › Erste Schritte… öffnet diese Einführung wieder.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="164"/>
        <source>Step {index} of {count}</source>
        <translation>Schritt {index} von {count}</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="167"/>
        <source>&amp;Done</source>
        <translation>&amp;Fertig</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="167"/>
        <source>&amp;Next</source>
        <translation>&amp;Weiter</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/dialog.py" line="168"/>
        <source>Close the guide and start</source>
        <translation>Die Einführung schließen und loslegen</translation>
    </message>
</context>
<context>
    <name>FolderMove</name>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="75"/>
        <source>Choose the models folder</source>
        <translation>Modellordner wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="88"/>
        <location filename="../../app/ui/library/folder_move.py" line="178"/>
        <source>The models folder cannot change now</source>
        <translation>Der Modellordner kann jetzt nicht geändert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="93"/>
        <source>“{folder}” cannot be created: {reason}</source>
        <translation>„{folder}“ kann nicht angelegt werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="99"/>
        <source>This folder cannot be used</source>
        <translation>Dieser Ordner kann nicht verwendet werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="109"/>
        <source>The models are being moved. Wait until that has finished.</source>
        <translation>Die Modelle werden gerade verschoben. Warten Sie, bis das abgeschlossen ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="112"/>
        <source>Wait until the downloads and imports have finished, or pause the downloads, then change the folder.</source>
        <translation>Warten Sie, bis die Downloads und Importe abgeschlossen sind, oder pausieren Sie die Downloads; ändern Sie dann den Ordner.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="115"/>
        <source>A model is being loaded. Wait until it is ready, then change the folder.</source>
        <translation>Ein Modell wird gerade geladen. Warten Sie, bis es bereit ist, und ändern Sie dann den Ordner.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/library/folder_move.py" line="133"/>
        <source>Move the %n model(s) ({size}) to the new folder?</source>
        <translation>
            <numerusform>Das Modell ({size}) in den neuen Ordner verschieben?</numerusform>
            <numerusform>Die %n Modelle ({size}) in den neuen Ordner verschieben?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="135"/>
        <source>Move the unfinished downloads ({size}) to the new folder?</source>
        <translation>Die unfertigen Downloads ({size}) in den neuen Ordner verschieben?</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="138"/>
        <source>They are in “{old}”. Models left there are not shown in the library of the new folder.</source>
        <translation>Sie liegen in „{old}“. Modelle, die dort bleiben, erscheinen nicht in der Bibliothek des neuen Ordners.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="143"/>
        <source>Unfinished downloads move with them.</source>
        <translation>Unfertige Downloads werden mit verschoben.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="146"/>
        <source>Move the models?</source>
        <translation>Modelle verschieben?</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="149"/>
        <source>Move</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="150"/>
        <source>Leave them in the old folder</source>
        <translation>Im alten Ordner lassen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="168"/>
        <source>“{name}” is in use now, so it stays in the old folder; the library keeps using it from there.</source>
        <translation>„{name}“ wird gerade verwendet und bleibt deshalb im alten Ordner; die Bibliothek nutzt es weiter von dort.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="183"/>
        <source>Moving the models to “{folder}”…</source>
        <translation>Die Modelle werden nach „{folder}“ verschoben …</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="202"/>
        <source>Nothing was moved, and the library still uses “{old}”.</source>
        <translation>Nichts wurde verschoben, und die Bibliothek verwendet weiterhin „{old}“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="204"/>
        <location filename="../../app/ui/library/folder_move.py" line="220"/>
        <source>Moving was stopped.</source>
        <translation>Das Verschieben wurde abgebrochen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="208"/>
        <source>The models could not be moved</source>
        <translation>Die Modelle konnten nicht verschoben werden</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/library/folder_move.py" line="213"/>
        <source>%n model(s) moved to “{folder}”.</source>
        <translation>
            <numerusform>%n Modell nach „{folder}“ verschoben.</numerusform>
            <numerusform>%n Modelle nach „{folder}“ verschoben.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="216"/>
        <source>Not all models could be moved</source>
        <translation>Nicht alle Modelle konnten verschoben werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_move.py" line="217"/>
        <source>The others stay in “{old}”; nothing was lost.</source>
        <translation>Die übrigen bleiben in „{old}“; nichts ging verloren.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/library/folder_move.py" line="235"/>
        <source>%n model(s) stay in the old folder “{folder}”. To use them, choose that folder again.</source>
        <translation>
            <numerusform>%n Modell bleibt im alten Ordner „{folder}“. Um es zu verwenden, wählen Sie diesen Ordner wieder.</numerusform>
            <numerusform>%n Modelle bleiben im alten Ordner „{folder}“. Um sie zu verwenden, wählen Sie diesen Ordner wieder.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FolderScan</name>
    <message>
        <location filename="../../app/ui/library/folder_scan.py" line="119"/>
        <source>No model in the library matches the filter.</source>
        <translation>Kein Modell in der Bibliothek passt zum Filter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/folder_scan.py" line="121"/>
        <source>No models yet. Download one from the Catalog, or click “Import GGUF file…” to add a model file (.gguf) from this computer.</source>
        <translation>Noch keine Modelle. Laden Sie eines aus dem Katalog herunter, oder klicken Sie auf „GGUF-Datei importieren…“, um eine Modelldatei (.gguf) von diesem Computer hinzuzufügen.</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <location filename="../../app/ui/formatting.py" line="17"/>
        <source>B</source>
        <comment>billion</comment>
        <translation>Mrd.</translation>
    </message>
    <message>
        <location filename="../../app/ui/formatting.py" line="18"/>
        <source>M</source>
        <comment>million</comment>
        <translation>Mio.</translation>
    </message>
    <message>
        <location filename="../../app/ui/formatting.py" line="19"/>
        <source>K</source>
        <comment>thousand</comment>
        <translation>Tsd.</translation>
    </message>
    <message>
        <location filename="../../app/ui/formatting.py" line="53"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} Std. {minutes} Min.</translation>
    </message>
    <message>
        <location filename="../../app/ui/formatting.py" line="54"/>
        <source>{minutes} min</source>
        <translation>{minutes} Min.</translation>
    </message>
    <message>
        <location filename="../../app/ui/formatting.py" line="55"/>
        <location filename="../../app/ui/chat/transcript.py" line="361"/>
        <source>{seconds} s</source>
        <translation>{seconds} Sek.</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <location filename="../../app/ui/help_menu.py" line="42"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../../app/ui/help_menu.py" line="45"/>
        <source>Copy &amp;diagnostic report</source>
        <translation>&amp;Diagnosebericht kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/help_menu.py" line="48"/>
        <source>Copies versions, processor, memory, engine settings and the last engine problem, for a message to whoever looks after MoEscope. It holds no conversation text.</source>
        <translation>Kopiert Versionen, Prozessor, Arbeitsspeicher, Engine-Einstellungen und das letzte Engine-Problem für eine Nachricht an die Betreuung von MoEscope. Er enthält keinen Gesprächstext.</translation>
    </message>
    <message>
        <location filename="../../app/ui/help_menu.py" line="53"/>
        <source>&amp;About MoEscope</source>
        <translation>Über &amp;MoEscope</translation>
    </message>
    <message>
        <location filename="../../app/ui/help_menu.py" line="98"/>
        <source>The diagnostic report is on the clipboard: paste it into your message. It holds versions, this computer&apos;s processor and memory, the engine&apos;s settings and its last problem, and no conversation text.</source>
        <translation>Der Diagnosebericht ist in der Zwischenablage: Fügen Sie ihn in Ihre Nachricht ein. Er enthält Versionen, Prozessor und Arbeitsspeicher dieses Computers, die Einstellungen der Engine und ihr letztes Problem, aber keinen Gesprächstext.</translation>
    </message>
</context>
<context>
    <name>HubSearch</name>
    <message>
        <location filename="../../app/ui/library/hub_search.py" line="68"/>
        <source>Searching Hugging Face for “{query}”…</source>
        <translation>Hugging Face wird nach „{query}“ durchsucht…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/hub_search.py" line="73"/>
        <source>Reading the files of {repo}…</source>
        <translation>Die Dateien von {repo} werden gelesen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/hub_search.py" line="81"/>
        <source>This repository has no GGUF model files.</source>
        <translation>Dieses Repository enthält keine GGUF-Modelldateien.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/hub_search.py" line="83"/>
        <source>Nothing found for “{query}”. Try fewer or other words, e.g. “Qwen3 30B”.</source>
        <translation>Nichts gefunden für „{query}“. Versuchen Sie weniger oder andere Wörter, z. B. „Qwen3 30B“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/hub_search.py" line="87"/>
        <source>No search result matches the filter.</source>
        <translation>Kein Suchergebnis passt zum Filter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/hub_search.py" line="89"/>
        <source>Search Hugging Face for more models in the GGUF format, e.g. “Qwen3 30B” or “OLMoE”. Only the words you search for are sent.</source>
        <translation>Suchen Sie auf Hugging Face nach weiteren Modellen im GGUF-Format, z. B. „Qwen3 30B“ oder „OLMoE“. Gesendet werden nur Ihre Suchbegriffe.</translation>
    </message>
</context>
<context>
    <name>ImportFlow</name>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="76"/>
        <source>Import a GGUF model file</source>
        <translation>GGUF-Modelldatei importieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="78"/>
        <source>GGUF model files (*.gguf)</source>
        <translation>GGUF-Modelldateien (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="113"/>
        <source>“{name}” is already in the models folder.</source>
        <translation>„{name}“ liegt bereits im Modellordner.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="117"/>
        <source>Checking and copying “{name}”…</source>
        <translation>„{name}“ wird geprüft und kopiert…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="121"/>
        <source>Checking “{name}”…</source>
        <translation>„{name}“ wird geprüft…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="133"/>
        <source>Add “{name}” to the library</source>
        <translation>„{name}“ zur Bibliothek hinzufügen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="134"/>
        <source>Copy the file into the models folder, or use it where it is?</source>
        <translation>Die Datei in den Modellordner kopieren oder dort verwenden, wo sie liegt?</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="140"/>
        <source>A copy takes {size} of space and stays usable when the original is gone (for example on a USB stick). Using it where it is takes no space, but the file must stay where it is.</source>
        <translation>Eine Kopie belegt {size} und bleibt nutzbar, wenn das Original nicht mehr da ist (zum Beispiel auf einem USB-Stick). Verwenden Sie die Datei dort, wo sie liegt, belegt sie keinen Platz, muss aber dort bleiben.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="144"/>
        <source>Copy into the models folder</source>
        <translation>In den Modellordner kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="145"/>
        <source>Use where it is</source>
        <translation>Dort verwenden, wo sie liegt</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="163"/>
        <source>“{name}” was added to the library; it stays where it is.</source>
        <translation>„{name}“ wurde zur Bibliothek hinzugefügt; die Datei bleibt, wo sie ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="172"/>
        <source>Copying… {done} of {total}</source>
        <translation>Wird kopiert… {done} von {total}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="177"/>
        <source>“{name}” was added to the library.</source>
        <translation>„{name}“ wurde zur Bibliothek hinzugefügt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="186"/>
        <source>Copying was stopped; nothing was added.</source>
        <translation>Das Kopieren wurde abgebrochen; nichts wurde hinzugefügt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="198"/>
        <source>This file cannot be imported</source>
        <translation>Diese Datei kann nicht importiert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/import_flow.py" line="200"/>
        <source>Nothing was added to the library.</source>
        <translation>Der Bibliothek wurde nichts hinzugefügt.</translation>
    </message>
</context>
<context>
    <name>KioskDocuments</name>
    <message>
        <location filename="../../app/ui/kiosk/documents.py" line="55"/>
        <source>This kiosk answers from its documents, and they are not there at the moment. Please tell the staff.</source>
        <translation>Dieser Kiosk antwortet aus seinen Dokumenten, und die sind gerade nicht da. Bitte sagen Sie dem Personal Bescheid.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/documents.py" line="56"/>
        <source>the model was not asked</source>
        <translation>das Modell wurde nicht gefragt</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/documents.py" line="73"/>
        <source>Nothing in this kiosk&apos;s documents matches this question, so the model was not asked: it would only guess. Please try other words.</source>
        <translation>Zu dieser Frage passt nichts in den Dokumenten dieses Kiosks, darum wurde das Modell nicht gefragt: Es würde nur raten. Versuchen Sie es bitte mit anderen Worten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/documents.py" line="81"/>
        <source>Documents: the collection “{name}” does not exist on this computer, so visitors&apos; questions are not answered. Make it in the window (File › Documents…) or with “moescope docs index”, then open this screen again.</source>
        <translation>Dokumente: Die Sammlung „{name}“ gibt es auf diesem Computer nicht, darum werden Fragen von Besuchern nicht beantwortet. Legen Sie sie im Fenster an (Datei › Dokumente …) oder mit „moescope docs index“ und öffnen Sie diese Ansicht dann erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/documents.py" line="87"/>
        <source>Documents: “{name}”, {holds}</source>
        <translation>Dokumente: „{name}“, {holds}</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/documents.py" line="92"/>
        <source>Documents: {problem}</source>
        <translation>Dokumente: {problem}</translation>
    </message>
</context>
<context>
    <name>KioskSettingsDialog</name>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="66"/>
        <source>Kiosk settings</source>
        <translation>Kiosk-Einstellungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="76"/>
        <source>Ask the model something!</source>
        <translation>Fragen Sie das Modell etwas!</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="78"/>
        <source>One example question per line</source>
        <translation>Eine Beispielfrage pro Zeile</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="83"/>
        <source>Show the expert view</source>
        <translation>Expertenansicht zeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="85"/>
        <source>Heatmap</source>
        <translation>Heatmap</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="85"/>
        <source>Router diagram</source>
        <translation>Router-Diagramm</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="86"/>
        <source>Numbers</source>
        <translation>Zahlen</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="88"/>
        <source>On a second screen, when there is one</source>
        <translation>Auf einem zweiten Bildschirm, wenn vorhanden</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="98"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="99"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="100"/>
        <source>Welcome text</source>
        <translation>Begrüßungstext</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="101"/>
        <source>Examples ({low} to {high})</source>
        <translation>Beispiele ({low} bis {high})</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="103"/>
        <source>Clear after (seconds without input)</source>
        <translation>Löschen nach (Sekunden ohne Eingabe)</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="104"/>
        <source>Countdown (seconds)</source>
        <translation>Countdown (Sekunden)</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="105"/>
        <source>Longest answer (tokens)</source>
        <translation>Längste Antwort (Tokens)</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="108"/>
        <source>View</source>
        <translation>Ansicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="111"/>
        <source>Reload the model above (MB of memory)</source>
        <translation>Modell neu laden ab (MB Speicher)</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="112"/>
        <source>End an answer stuck for (seconds)</source>
        <translation>Antwort beenden, die hängt seit (Sekunden)</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="114"/>
        <source>New PIN</source>
        <translation>Neue PIN</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="115"/>
        <source>New PIN again</source>
        <translation>Neue PIN wiederholen</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="133"/>
        <source>For the visitors</source>
        <translation>Für die Besucher</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="133"/>
        <source>Expert view</source>
        <translation>Expertenansicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="134"/>
        <source>Engine</source>
        <translation>Engine</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="134"/>
        <source>Administrator PIN</source>
        <translation>Administrator-PIN</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="155"/>
        <source>Explain in two sentences what a Mixture-of-Experts model is.</source>
        <translation>Erkläre in zwei Sätzen, was ein Mixture-of-Experts-Modell ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="156"/>
        <source>Write a short poem about the sea.</source>
        <translation>Schreibe ein kurzes Gedicht über das Meer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="157"/>
        <source>What should I see in this city?</source>
        <translation>Was sollte ich in dieser Stadt sehen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="158"/>
        <source>Choose a PIN of {low} to {high} digits.</source>
        <translation>Wählen Sie eine PIN mit {low} bis {high} Ziffern.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="171"/>
        <source>Leave both empty to keep the PIN.</source>
        <translation>Lassen Sie beide Felder leer, um die PIN zu behalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="174"/>
        <source>Saved in {path}. Start the kiosk with: {command}</source>
        <translation>Gespeichert in {path}. Starten Sie den Kiosk mit: {command}</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="183"/>
        <source>The PIN must be {low} to {high} digits.</source>
        <translation>Die PIN muss {low} bis {high} Ziffern haben.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="187"/>
        <source>The two PINs differ.</source>
        <translation>Die beiden PINs stimmen nicht überein.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/settings_dialog.py" line="225"/>
        <source>The file could not be written: {reason}</source>
        <translation>Die Datei konnte nicht geschrieben werden: {reason}</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../app/ui/kiosk/window.py" line="283"/>
        <location filename="../../app/ui/kiosk/window.py" line="399"/>
        <source>One moment, please</source>
        <translation>Einen Moment, bitte</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/window.py" line="283"/>
        <source>The model is being loaded.</source>
        <translation>Das Modell wird geladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/window.py" line="373"/>
        <source>no answer: something went wrong — please ask again</source>
        <translation>keine Antwort: Etwas ist schiefgegangen – bitte fragen Sie noch einmal</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/window.py" line="375"/>
        <source>This kiosk is not ready</source>
        <translation>Dieser Kiosk ist nicht bereit</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/window.py" line="376"/>
        <source>Please tell the staff: {problem}</source>
        <translation>Bitte sagen Sie dem Personal Bescheid: {problem}</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/window.py" line="384"/>
        <source>interrupted — please ask again</source>
        <translation>unterbrochen – bitte fragen Sie noch einmal</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/window.py" line="399"/>
        <source>The model is starting again.</source>
        <translation>Das Modell startet neu.</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../../app/ui/language_menu.py" line="24"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../../app/ui/language_menu.py" line="30"/>
        <source>As the &amp;system</source>
        <translation>Wie das &amp;System</translation>
    </message>
</context>
<context>
    <name>LibraryJobs</name>
    <message>
        <location filename="../../app/ui/library/jobs.py" line="37"/>
        <source>There is not enough free space on the drive of the models folder “{folder}”.</source>
        <translation>Auf dem Laufwerk des Modellordners „{folder}“ ist nicht genug Platz frei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/jobs.py" line="40"/>
        <source>The models folder “{folder}” is read-only (for example on a write-protected drive).</source>
        <translation>Der Modellordner „{folder}“ ist schreibgeschützt (zum Beispiel auf einem schreibgeschützten Laufwerk).</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/jobs.py" line="44"/>
        <source>Your user account is not allowed to change the models folder “{folder}”.</source>
        <translation>Ihr Benutzerkonto darf den Modellordner „{folder}“ nicht ändern.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/jobs.py" line="47"/>
        <source>The models folder “{folder}” is not available. If it is on an external drive, connect the drive.</source>
        <translation>Der Modellordner „{folder}“ ist nicht erreichbar. Liegt er auf einem externen Laufwerk, schließen Sie das Laufwerk an.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/jobs.py" line="52"/>
        <source>The models folder “{folder}” cannot be used: {reason}</source>
        <translation>Der Modellordner „{folder}“ kann nicht verwendet werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/jobs.py" line="195"/>
        <location filename="../../app/ui/library/jobs.py" line="233"/>
        <source>The file could not be read: {reason}</source>
        <translation>Die Datei konnte nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/jobs.py" line="214"/>
        <source>A file named “{name}” is already in the models folder.</source>
        <translation>Im Modellordner gibt es bereits eine Datei namens „{name}“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/jobs.py" line="221"/>
        <source>There is not enough free space for a copy: “{name}” needs {size}, the drive of the models folder has {free} free. Free some space, or use the file where it is.</source>
        <translation>Für eine Kopie ist nicht genug Platz frei: „{name}“ braucht {size}, auf dem Laufwerk des Modellordners sind {free} frei. Geben Sie Platz frei oder verwenden Sie die Datei dort, wo sie ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/jobs.py" line="251"/>
        <source>The file could not be deleted: {reason}</source>
        <translation>Die Datei konnte nicht gelöscht werden: {reason}</translation>
    </message>
</context>
<context>
    <name>LibraryPane</name>
    <message>
        <location filename="../../app/ui/library/pane.py" line="231"/>
        <source>Import GGUF file…</source>
        <translation>GGUF-Datei importieren…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="243"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="241"/>
        <source>Read the models folder again</source>
        <translation>Den Modellordner neu einlesen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="217"/>
        <location filename="../../app/ui/library/pane.py" line="535"/>
        <source>Load</source>
        <translation>Laden</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="217"/>
        <location filename="../../app/ui/library/pane.py" line="539"/>
        <source>Load the selected model so you can chat with it</source>
        <translation>Das ausgewählte Modell laden, um damit zu chatten</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="149"/>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="149"/>
        <source>The models on this computer</source>
        <translation>Die Modelle auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="150"/>
        <source>Catalog</source>
        <translation>Katalog</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="150"/>
        <source>Recommended models to download</source>
        <translation>Empfohlene Modelle zum Herunterladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="151"/>
        <location filename="../../app/ui/library/pane.py" line="179"/>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="151"/>
        <source>Search Hugging Face for more models</source>
        <translation>Weitere Modelle auf Hugging Face suchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="160"/>
        <source>Filter by name, purpose, licence…</source>
        <translation>Nach Name, Zweck, Lizenz filtern…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="162"/>
        <source>Filter the list</source>
        <translation>Liste filtern</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="165"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="165"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="165"/>
        <source>Fit</source>
        <translation>Eignung</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="167"/>
        <source>Sort by</source>
        <translation>Sortieren nach</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="168"/>
        <source>Sort by name, size, or how well the model fits this computer</source>
        <translation>Nach Name, Größe oder danach sortieren, wie gut das Modell zu diesem Computer passt</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="172"/>
        <source>Sort:</source>
        <translation>Sortierung:</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="176"/>
        <source>Search Hugging Face, e.g. Qwen3 30B</source>
        <translation>Hugging Face durchsuchen, z. B. Qwen3 30B</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="177"/>
        <source>Search words</source>
        <translation>Suchbegriffe</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="180"/>
        <source>← All results</source>
        <translation>← Alle Ergebnisse</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="212"/>
        <source>Stop copying</source>
        <translation>Kopieren abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="220"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="220"/>
        <source>Download the selected model into the models folder</source>
        <translation>Das ausgewählte Modell in den Modellordner herunterladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="224"/>
        <source>Show files</source>
        <translation>Dateien anzeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="224"/>
        <source>List the model files of the selected repository</source>
        <translation>Die Modelldateien des ausgewählten Repositorys anzeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="233"/>
        <source>Add a model file (.gguf) from this computer: copied into the models folder, or used where it is. You can also drop files onto the library.</source>
        <translation>Eine Modelldatei (.gguf) von diesem Computer hinzufügen: in den Modellordner kopiert oder dort verwendet, wo sie liegt. Sie können Dateien auch auf die Bibliothek ziehen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="239"/>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="239"/>
        <location filename="../../app/ui/library/pane.py" line="548"/>
        <source>Delete the selected model file to free space</source>
        <translation>Die ausgewählte Modelldatei löschen, um Platz freizugeben</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="246"/>
        <source>Models folder:</source>
        <translation>Modellordner:</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="253"/>
        <source>Change…</source>
        <translation>Ändern…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="254"/>
        <source>Use another folder for the models, e.g. on an external drive</source>
        <translation>Einen anderen Ordner für die Modelle verwenden, z. B. auf einem externen Laufwerk</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="263"/>
        <source>Hugging Face &amp;token…</source>
        <translation>Hugging-Face-&amp;Token…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="265"/>
        <source>&amp;Models folder…</source>
        <translation>&amp;Modellordner…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="489"/>
        <source>The catalog cannot be shown: {reason}</source>
        <translation>Der Katalog kann nicht angezeigt werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="490"/>
        <source>No catalog model matches the filter.</source>
        <translation>Kein Modell im Katalog passt zum Filter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="535"/>
        <source>✓ Loaded</source>
        <translation>✓ Geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="537"/>
        <source>This model is loaded: ask it something in the chat</source>
        <translation>Dieses Modell ist geladen: Stellen Sie ihm im Chat eine Frage</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="544"/>
        <source>Select a model in the list to delete it</source>
        <translation>Wählen Sie ein Modell in der Liste aus, um es zu löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="546"/>
        <source>This model is in use; load another one before deleting it.</source>
        <translation>Dieses Modell wird gerade verwendet; laden Sie ein anderes, bevor Sie es löschen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/pane.py" line="506"/>
        <source>Reading the models folder…</source>
        <translation>Der Modellordner wird gelesen…</translation>
    </message>
</context>
<context>
    <name>LibraryWords</name>
    <message>
        <location filename="../../app/ui/library/words.py" line="29"/>
        <source>German</source>
        <translation>Deutsch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="30"/>
        <source>English</source>
        <translation>Englisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="31"/>
        <source>French</source>
        <translation>Französisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="32"/>
        <source>Spanish</source>
        <translation>Spanisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="33"/>
        <source>Italian</source>
        <translation>Italienisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="34"/>
        <source>Portuguese</source>
        <translation>Portugiesisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="35"/>
        <source>Dutch</source>
        <translation>Niederländisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="36"/>
        <source>Polish</source>
        <translation>Polnisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="37"/>
        <source>Russian</source>
        <translation>Russisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="38"/>
        <source>Chinese</source>
        <translation>Chinesisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="39"/>
        <source>Japanese</source>
        <translation>Japanisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="40"/>
        <source>Korean</source>
        <translation>Koreanisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="41"/>
        <source>Arabic</source>
        <translation>Arabisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="56"/>
        <source>MoEscope demo embedding model (random weights, {dimensions} dimensions)</source>
        <translation>MoEscope-Demo-Embedding-Modell (Zufallsgewichte, {dimensions} Dimensionen)</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="59"/>
        <source>MoEscope demo MoE (random weights, {experts} experts, {top_k} per token, {layers} layers)</source>
        <translation>MoEscope-Demo-MoE (Zufallsgewichte, {experts} Experten, {top_k} pro Token, {layers} Schichten)</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="62"/>
        <source>MoEscope demo dense model (random weights, {layers} layers)</source>
        <translation>MoEscope-Demo-Modell, dicht (Zufallsgewichte, {layers} Schichten)</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="73"/>
        <source>Fits</source>
        <translation>Passt</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="75"/>
        <source>Tight</source>
        <translation>Knapp</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="77"/>
        <source>Does not fit</source>
        <translation>Passt nicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="78"/>
        <source>Fit unknown</source>
        <translation>Eignung unbekannt</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="91"/>
        <source>needs about {need}; of this computer&apos;s {total} only about {usable} are left for a model beside the operating system</source>
        <translation>braucht etwa {need}; von den {total} dieses Computers bleiben neben dem Betriebssystem nur etwa {usable} für ein Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="94"/>
        <source>needs up to about {need}; of this computer&apos;s {total} only about {usable} are left for a model beside the operating system</source>
        <translation>braucht bis zu etwa {need}; von den {total} dieses Computers bleiben neben dem Betriebssystem nur etwa {usable} für ein Modell</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="99"/>
        <source>needs about {need}, this computer has {total}</source>
        <translation>braucht etwa {need}, dieser Computer hat {total}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="101"/>
        <source>needs up to about {need}, this computer has {total}</source>
        <translation>braucht bis zu etwa {need}, dieser Computer hat {total}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="105"/>
        <source>needs about {need} of this computer&apos;s {total} ({free} free now); close other programs first</source>
        <translation>braucht etwa {need} der {total} dieses Computers (gerade {free} frei); schließen Sie vorher andere Programme</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="110"/>
        <source>needs up to about {need} of this computer&apos;s {total} ({free} free now); close other programs first</source>
        <translation>braucht bis zu etwa {need} der {total} dieses Computers (gerade {free} frei); schließen Sie vorher andere Programme</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="118"/>
        <source>needs about {need}, this computer has {total} ({free} free now)</source>
        <translation>braucht etwa {need}, dieser Computer hat {total} (gerade {free} frei)</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="120"/>
        <source>needs up to about {need}, this computer has {total} ({free} free now)</source>
        <translation>braucht bis zu etwa {need}, dieser Computer hat {total} (gerade {free} frei)</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="129"/>
        <source>{verdict}: {reason}</source>
        <translation>{verdict}: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="136"/>
        <source>Model {weights} + conversation memory {kv} (for {tokens} tokens) + program {overhead}</source>
        <translation>Modell {weights} + Gesprächsspeicher {kv} (für {tokens} Token) + Programm {overhead}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="161"/>
        <source>Answers slowly on this computer: less than one word per second</source>
        <translation>Antwortet auf diesem Computer langsam: weniger als ein Wort pro Sekunde</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="163"/>
        <source>About one word per second on this computer</source>
        <translation>Etwa ein Wort pro Sekunde auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="165"/>
        <source>More than {count} words per second on this computer</source>
        <translation>Mehr als {count} Wörter pro Sekunde auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="168"/>
        <source>About {count} words per second on this computer</source>
        <translation>Etwa {count} Wörter pro Sekunde auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="175"/>
        <source>Estimated from this computer&apos;s memory speed ({bandwidth}/s, measured) and the {read} of the model read for every word piece it writes.</source>
        <translation>Geschätzt aus der gemessenen Speichergeschwindigkeit dieses Computers ({bandwidth}/s) und den {read} des Modells, die es für jedes geschriebene Wortstück liest.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="181"/>
        <source>Only the experts chosen for a token are read, so this Mixture-of-Experts model answers as fast as a much smaller model.</source>
        <translation>Gelesen werden nur die für ein Token gewählten Experten, darum antwortet dieses Mixture-of-Experts-Modell so schnell wie ein viel kleineres Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="212"/>
        <source>not compressed, {bits} bits ({name})</source>
        <translation>nicht komprimiert, {bits} Bit ({name})</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="216"/>
        <source>compressed to less than 2 bits ({name})</source>
        <translation>auf weniger als 2 Bit komprimiert ({name})</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="217"/>
        <source>compressed to {bits} bits ({name})</source>
        <translation>auf {bits} Bit komprimiert ({name})</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="222"/>
        <source>Model files are compressed: each number of the model is stored with fewer bits. Fewer bits make the file smaller and the answers faster, and the answers a little worse; 4 bits is a good balance.</source>
        <translation>Modelldateien sind komprimiert: Jede Zahl des Modells wird mit weniger Bits gespeichert. Weniger Bits machen die Datei kleiner und die Antworten schneller, aber auch etwas schlechter; 4 Bit sind ein guter Kompromiss.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="237"/>
        <source>{count} languages</source>
        <translation>{count} Sprachen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="240"/>
        <source>{languages} and {count} more</source>
        <translation>{languages} und {count} weitere</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="252"/>
        <source>{done} of {total}</source>
        <translation>{done} von {total}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="254"/>
        <source>part {index} of {count}</source>
        <translation>Teil {index} von {count}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="258"/>
        <source>checking the part downloaded earlier…</source>
        <translation>der früher heruntergeladene Teil wird geprüft…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="260"/>
        <source>verifying the checksum…</source>
        <translation>die Prüfsumme wird kontrolliert…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="262"/>
        <source>{speed}/s</source>
        <translation>{speed}/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="266"/>
        <source>about {time} left</source>
        <translation>noch etwa {time}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="276"/>
        <source>Waiting: starts when the download before it is finished</source>
        <translation>Wartet: beginnt, sobald der vorherige Download fertig ist</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="279"/>
        <source>Connecting to Hugging Face…</source>
        <translation>Verbindung zu Hugging Face wird hergestellt…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="283"/>
        <source>Paused at {done} of {total}</source>
        <translation>Angehalten bei {done} von {total}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="286"/>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="288"/>
        <source>Downloaded and checked</source>
        <translation>Heruntergeladen und geprüft</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="290"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="291"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="309"/>
        <source>No internet connection: Hugging Face could not be reached. Connect this computer to the internet and search again.</source>
        <translation>Keine Internetverbindung: Hugging Face ist nicht erreichbar. Verbinden Sie diesen Computer mit dem Internet und suchen Sie erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="314"/>
        <source>No internet connection: Hugging Face could not be reached. Connect this computer to the internet, then press Try again.</source>
        <translation>Keine Internetverbindung: Hugging Face ist nicht erreichbar. Verbinden Sie diesen Computer mit dem Internet und klicken Sie dann auf „Erneut versuchen“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="321"/>
        <source>Nothing by that name was found on Hugging Face (it does not exist, or it is private).</source>
        <translation>Unter diesem Namen wurde auf Hugging Face nichts gefunden (es existiert nicht oder ist privat).</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="326"/>
        <source>This model was not found on Hugging Face: the repository or the file does not exist (any more), or it is private.</source>
        <translation>Dieses Modell wurde auf Hugging Face nicht gefunden: Das Repository oder die Datei existiert nicht (mehr) oder ist privat.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="333"/>
        <source>This model is gated: accept its licence on its page at huggingface.co, then add your Hugging Face token under Settings › Hugging Face token….</source>
        <translation>Dieses Modell ist zugangsbeschränkt: Akzeptieren Sie seine Lizenz auf seiner Seite bei huggingface.co und hinterlegen Sie dann Ihren Hugging-Face-Token unter Einstellungen › Hugging-Face-Token….</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="339"/>
        <source>Your Hugging Face token has no access to this model yet: accept its licence on its page at huggingface.co, then try again.</source>
        <translation>Ihr Hugging-Face-Token hat noch keinen Zugriff auf dieses Modell: Akzeptieren Sie seine Lizenz auf seiner Seite bei huggingface.co und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="345"/>
        <source>Hugging Face did not accept your token. Check or replace it under Settings › Hugging Face token….</source>
        <translation>Hugging Face hat Ihren Token nicht akzeptiert. Prüfen oder ersetzen Sie ihn unter Einstellungen › Hugging-Face-Token….</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="352"/>
        <source>No connection to Hugging Face, or it is not answering. Check the internet connection and try again.</source>
        <translation>Keine Verbindung zu Hugging Face, oder der Dienst antwortet nicht. Prüfen Sie die Internetverbindung und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="357"/>
        <source>Hugging Face is not answering, or the connection to it was lost. Try again later.</source>
        <translation>Hugging Face antwortet nicht, oder die Verbindung wurde unterbrochen. Versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="428"/>
        <source>The {size} downloaded so far are kept; the download continues where it stopped.</source>
        <translation>Die bisher geladenen {size} bleiben erhalten; der Download setzt dort fort, wo er aufgehört hat.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="431"/>
        <source>Nothing was downloaded yet.</source>
        <translation>Es wurde noch nichts heruntergeladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="361"/>
        <source>Hugging Face&apos;s answer was incomplete, so the file could not be checked. Try again later.</source>
        <translation>Die Antwort von Hugging Face war unvollständig, daher konnte die Datei nicht geprüft werden. Versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="367"/>
        <source>Not enough free space: the download needs about {need} (and some room to spare), the drive of the models folder has {free} free. Free some space or choose another models folder.</source>
        <translation>Nicht genug freier Speicherplatz: Der Download braucht etwa {need} (mit etwas Reserve), auf dem Laufwerk des Modellordners sind {free} frei. Geben Sie Platz frei oder wählen Sie einen anderen Modellordner.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="375"/>
        <source>Not enough free space on the drive of the models folder. Free some space or choose another models folder.</source>
        <translation>Auf dem Laufwerk des Modellordners ist nicht genug Platz frei. Geben Sie Platz frei oder wählen Sie einen anderen Modellordner.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="381"/>
        <source>The models folder is not there any more (is it on a drive that is not connected?). Connect it or choose another models folder, then try again.</source>
        <translation>Der Modellordner ist nicht mehr da (liegt er auf einem Laufwerk, das nicht angeschlossen ist?). Schließen Sie es an oder wählen Sie einen anderen Modellordner und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="387"/>
        <source>The models folder cannot be written to. Choose another models folder.</source>
        <translation>In den Modellordner kann nicht geschrieben werden. Wählen Sie einen anderen Modellordner.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="391"/>
        <source>The downloaded file did not match Hugging Face&apos;s checksum, so it was deleted and is not in the library. Try again; if it happens again, the connection is changing the data.</source>
        <translation>Die heruntergeladene Datei stimmte nicht mit der Prüfsumme von Hugging Face überein; sie wurde deshalb gelöscht und ist nicht in der Bibliothek. Versuchen Sie es erneut; passiert es wieder, verändert die Verbindung die Daten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="397"/>
        <source>The download was cancelled and its partial file removed.</source>
        <translation>Der Download wurde abgebrochen und die unvollständige Datei entfernt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="400"/>
        <source>Offline mode is on, so MoEscope did not connect to Hugging Face. Turn offline mode off to search.</source>
        <translation>Der Offline-Modus ist eingeschaltet, deshalb hat MoEscope keine Verbindung zu Hugging Face aufgebaut. Schalten Sie den Offline-Modus aus, um zu suchen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="406"/>
        <source>Offline mode is on, so MoEscope did not connect to Hugging Face. Turn offline mode off to download.</source>
        <translation>Der Offline-Modus ist eingeschaltet, deshalb hat MoEscope keine Verbindung zu Hugging Face aufgebaut. Schalten Sie den Offline-Modus aus, um herunterzuladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="413"/>
        <source>A different file with this name is already in the models folder. Delete or rename it first.</source>
        <translation>Im Modellordner liegt bereits eine andere Datei mit diesem Namen. Löschen oder benennen Sie sie zuerst um.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="418"/>
        <source>This is not a GGUF model file MoEscope can download.</source>
        <translation>Dies ist keine GGUF-Modelldatei, die MoEscope herunterladen kann.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/words.py" line="419"/>
        <source>Something MoEscope did not foresee went wrong. Try again later.</source>
        <translation>Etwas Unvorhergesehenes ist schiefgegangen. Versuchen Sie es später erneut.</translation>
    </message>
</context>
<context>
    <name>LoadFlow</name>
    <message>
        <location filename="../../app/ui/library/load_flow.py" line="65"/>
        <source>This model probably does not fit</source>
        <translation>Dieses Modell passt wahrscheinlich nicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/load_flow.py" line="66"/>
        <source>“{name}” needs more memory than this computer can give: {reason}.</source>
        <translation>„{name}“ braucht mehr Arbeitsspeicher, als dieser Computer bieten kann: {reason}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/load_flow.py" line="74"/>
        <source>Loading it may take very long, make the computer slow for a while, or fail. A smaller model, or a more compressed file of the same model (for example compressed to 3 bits, Q3_K_M), will run better.</source>
        <translation>Das Laden kann sehr lange dauern, den Computer eine Weile verlangsamen oder scheitern. Ein kleineres Modell oder eine stärker komprimierte Datei desselben Modells (zum Beispiel auf 3 Bit komprimiert, Q3_K_M) läuft besser.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/load_flow.py" line="79"/>
        <source>Load anyway</source>
        <translation>Trotzdem laden</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/load_flow.py" line="91"/>
        <source>Loading “{name}” again…</source>
        <translation>„{name}“ wird erneut geladen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/load_flow.py" line="91"/>
        <source>Loading “{name}”…</source>
        <translation>„{name}“ wird geladen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/load_flow.py" line="98"/>
        <source>“{name}” is ready (loaded in {seconds} s).</source>
        <translation>„{name}“ ist bereit (geladen in {seconds} s).</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/load_flow.py" line="101"/>
        <source>It runs in compatibility mode on this computer.</source>
        <translation>Es läuft auf diesem Computer im Kompatibilitätsmodus.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/load_flow.py" line="113"/>
        <source>“{name}” could not be loaded: {message}</source>
        <translation>„{name}“ konnte nicht geladen werden: {message}</translation>
    </message>
</context>
<context>
    <name>LocalityIndicator</name>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="117"/>
        <source>the model file</source>
        <translation>die Modelldatei</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="118"/>
        <source>the search results</source>
        <translation>die Suchergebnisse</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="126"/>
        <source>Company server {host} — your text goes to this server</source>
        <translation>Firmenserver {host} – Ihr Text geht an diesen Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="130"/>
        <source>Download from {host} — only {what} is received</source>
        <translation>Download von {host} — nur {what} wird empfangen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="134"/>
        <source>Offline mode — network blocked</source>
        <translation>Offline-Modus — Netzwerk gesperrt</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="136"/>
        <source>Warning: unexpected connection to {host}</source>
        <translation>Warnung: unerwartete Verbindung zu {host}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="139"/>
        <source>Local — nothing leaves this computer</source>
        <translation>Lokal — keine Daten verlassen diesen Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="145"/>
        <source>private network address</source>
        <translation>private Netzwerkadresse</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="146"/>
        <source>public address</source>
        <translation>öffentliche Adresse</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="152"/>
        <source>What you type, with the conversation so far, is sent to the company server {host} ({address}), which writes the answers. No other computer can be reached, except for downloads or searches you start.</source>
        <translation>Was Sie eingeben, wird mit dem bisherigen Gespräch an den Firmenserver {host} ({address}) gesendet, der die Antworten schreibt. Kein anderer Computer ist erreichbar, außer für Downloads oder Suchen, die Sie starten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="159"/>
        <source>MoEscope is receiving {what} from {host}, as you asked. Nothing you type is sent; no other computer can be reached meanwhile.</source>
        <translation>MoEscope empfängt {what} von {host}, wie von Ihnen veranlasst. Nichts, was Sie eingeben, wird gesendet; kein anderer Computer ist währenddessen erreichbar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="165"/>
        <source>Offline mode is on: MoEscope opens no connection to another computer, not even for downloads or searches.</source>
        <translation>Der Offline-Modus ist an: MoEscope öffnet keine Verbindung zu einem anderen Computer, auch nicht für Downloads oder Suchen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="172"/>
        <source>A connection to {host} was seen open although MoEscope did not allow it. It was logged.</source>
        <translation>Eine Verbindung zu {host} war offen, obwohl MoEscope sie nicht erlaubt hat. Sie wurde protokolliert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="176"/>
        <source>Something in MoEscope tried to connect to {host}. It was blocked before anything was sent, and logged.</source>
        <translation>Ein Teil von MoEscope hat versucht, sich mit {host} zu verbinden. Das wurde blockiert, bevor etwas gesendet wurde, und protokolliert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="181"/>
        <source>The model runs in a separate process on this computer. MoEscope sends nothing you type over the network.</source>
        <translation>Das Modell läuft in einem eigenen Prozess auf diesem Computer. MoEscope sendet nichts, was Sie eingeben, über das Netzwerk.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="299"/>
        <source>Model: {model}</source>
        <translation>Modell: {model}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="299"/>
        <source>none loaded yet</source>
        <translation>noch keines geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="301"/>
        <source>Model file: {path}</source>
        <translation>Modelldatei: {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="303"/>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="305"/>
        <source>Click to see the details and acknowledge the warning.</source>
        <translation>Klicken Sie hier, um die Einzelheiten zu sehen und die Warnung zu bestätigen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/indicator.py" line="307"/>
        <source>Click to see where your data is stored, the connection log and the offline switch.</source>
        <translation>Klicken Sie hier für die Speicherorte Ihrer Daten, das Verbindungsprotokoll und den Offline-Schalter.</translation>
    </message>
</context>
<context>
    <name>LocalityPanel</name>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="88"/>
        <source>Data locality — MoEscope</source>
        <translation>Datenverbleib — MoEscope</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="125"/>
        <source>Offline mode: refuse every connection to another computer, even downloads and searches</source>
        <translation>Offline-Modus: jede Verbindung zu einem anderen Computer ablehnen, auch Downloads und Suchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="127"/>
        <source>Kept for the next start. Models already in the library keep working; nothing can be downloaded while it is on.</source>
        <translation>Gilt auch beim nächsten Start. Modelle in der Bibliothek funktionieren weiter; solange er an ist, kann nichts heruntergeladen werden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="146"/>
        <source>Acknowledge warning</source>
        <translation>Warnung bestätigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="147"/>
        <source>You have seen the warning: the indicator goes back to the current state. The entry stays in the log.</source>
        <translation>Sie haben die Warnung gesehen: Die Anzeige zeigt wieder den aktuellen Zustand. Der Eintrag bleibt im Protokoll.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="157"/>
        <source>Where your data is stored (all on this computer)</source>
        <translation>Wo Ihre Daten liegen (alles auf diesem Computer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="170"/>
        <source>Models:</source>
        <translation>Modelle:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="171"/>
        <source>Conversations:</source>
        <translation>Unterhaltungen:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="172"/>
        <source>Document index:</source>
        <translation>Dokumentindex:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="173"/>
        <source>Settings:</source>
        <translation>Einstellungen:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="174"/>
        <source>Application data:</source>
        <translation>Programmdaten:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="187"/>
        <source>Delete all conversations…</source>
        <translation>Alle Gespräche löschen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="189"/>
        <source>Deletes every kept conversation, with its answers and routing traces, from this computer.</source>
        <translation>Löscht jedes aufbewahrte Gespräch mit seinen Antworten und Routing-Aufzeichnungen von diesem Computer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="199"/>
        <source>The connection log could not be written to disk ({error}); it is kept in memory for this session.</source>
        <translation>Das Verbindungsprotokoll konnte nicht gespeichert werden ({error}); es wird für diese Sitzung im Arbeitsspeicher gehalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="208"/>
        <source>Delete all conversations?</source>
        <translation>Alle Gespräche löschen?</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="209"/>
        <source>Every conversation kept on this computer is deleted for good, with its answers and routing traces. This cannot be undone.</source>
        <translation>Jedes auf diesem Computer aufbewahrte Gespräch wird mit seinen Antworten und Routing-Aufzeichnungen endgültig gelöscht. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="212"/>
        <source>Delete all</source>
        <translation>Alle löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="220"/>
        <source>Deleting…</source>
        <translation>Wird gelöscht …</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="227"/>
        <source>%n conversation(s) deleted.</source>
        <translation>
            <numerusform>%n Gespräch gelöscht.</numerusform>
            <numerusform>%n Gespräche gelöscht.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="231"/>
        <source>The conversations could not be deleted: {why}</source>
        <translation>Die Gespräche konnten nicht gelöscht werden: {why}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="241"/>
        <source>Connections of this session</source>
        <translation>Verbindungen dieser Sitzung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="303"/>
        <source>Rule: connections only within this computer and to the company server {host} while it is in use, and to the host of a download or search you start, while it runs. No telemetry, no update checks.</source>
        <translation>Regel: Verbindungen nur innerhalb dieses Computers und zum Firmenserver {host}, solange er verwendet wird, sowie zum Host eines Downloads oder einer Suche, die Sie starten, solange sie läuft. Keine Telemetrie, keine Update-Prüfungen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="343"/>
        <source>Nothing yet: no connection, no attempt and no listening socket has been seen in this session.</source>
        <translation>Noch nichts: In dieser Sitzung gab es keine Verbindung, keinen Verbindungsversuch und keinen offenen Port.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="363"/>
        <source>There is no log of an earlier session on this computer.</source>
        <translation>Auf diesem Computer gibt es kein Protokoll einer früheren Sitzung.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="369"/>
        <source>{when} — %n entries. {verdict}</source>
        <translation>
            <numerusform>{when} — %n Eintrag. {verdict}</numerusform>
            <numerusform>{when} — %n Einträge. {verdict}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="380"/>
        <source>%n download(s) or search(es) you started were not run because offline mode was on.</source>
        <translation>
            <numerusform>%n Download oder Suche, die Sie gestartet haben, wurde nicht ausgeführt, weil der Offline-Modus an war.</numerusform>
            <numerusform>%n Downloads oder Suchen, die Sie gestartet haben, wurden nicht ausgeführt, weil der Offline-Modus an war.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="384"/>
        <source>Nothing left this computer: %n attempt(s) blocked before anything was sent.</source>
        <translation>
            <numerusform>Nichts hat diesen Computer verlassen: %n Versuch wurde blockiert, bevor etwas gesendet wurde.</numerusform>
            <numerusform>Nichts hat diesen Computer verlassen: %n Versuche wurden blockiert, bevor etwas gesendet wurde.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="388"/>
        <source>Nothing left this computer: {declined}</source>
        <translation>Nichts hat diesen Computer verlassen: {declined}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="389"/>
        <source>Nothing left this computer: no connection to another computer was made or attempted.</source>
        <translation>Nichts hat diesen Computer verlassen: Es wurde keine Verbindung zu einem anderen Computer hergestellt oder versucht.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="393"/>
        <source>%n UNEXPECTED connection(s) or listening socket(s) seen open.</source>
        <translation>
            <numerusform>%n UNERWARTETE Verbindung oder offener Port festgestellt.</numerusform>
            <numerusform>%n UNERWARTETE Verbindungen oder offene Ports festgestellt.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="397"/>
        <source>Connections to other computers were made for downloads or searches you started: {actions}.</source>
        <translation>Für die von Ihnen gestarteten Downloads oder Suchen wurden Verbindungen zu anderen Computern hergestellt: {actions}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="400"/>
        <source>No connection to another computer was made for downloads or searches you started.</source>
        <translation>Für die von Ihnen gestarteten Downloads oder Suchen wurde keine Verbindung zu einem anderen Computer hergestellt.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="403"/>
        <source>%n attempt(s) failed.</source>
        <translation>
            <numerusform>%n Versuch ist fehlgeschlagen.</numerusform>
            <numerusform>%n Versuche sind fehlgeschlagen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/locality/panel.py" line="405"/>
        <source>%n attempt(s) blocked before anything was sent.</source>
        <translation>
            <numerusform>%n Versuch wurde blockiert, bevor etwas gesendet wurde.</numerusform>
            <numerusform>%n Versuche wurden blockiert, bevor etwas gesendet wurde.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="253"/>
        <location filename="../../app/ui/locality/panel.py" line="264"/>
        <source>Earlier sessions</source>
        <translation>Frühere Sitzungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="175"/>
        <source>Connection log:</source>
        <translation>Verbindungsprotokoll:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="256"/>
        <source>Connections of the chosen session</source>
        <translation>Verbindungen der gewählten Sitzung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="268"/>
        <source>Export evidence report…</source>
        <translation>Nachweis exportieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="269"/>
        <source>A one-page HTML report for your records or your security officer: version, network policy, storage and this session&apos;s log.</source>
        <translation>Ein einseitiger HTML-Bericht für Ihre Unterlagen oder Ihre IT-Sicherheit: Version, Netzwerkregel, Speicherorte und das Protokoll dieser Sitzung.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="299"/>
        <source>Rule: connections only within this computer. Downloads and searches are refused. No telemetry, no update checks.</source>
        <translation>Regel: Verbindungen nur innerhalb dieses Computers. Downloads und Suchen werden abgelehnt. Keine Telemetrie, keine Update-Prüfung.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="308"/>
        <source>Rule: connections only within this computer, except to the host of a download or search you start, while it runs. No telemetry, no update checks.</source>
        <translation>Regel: Verbindungen nur innerhalb dieses Computers, außer zum Server eines Downloads oder einer Suche, die Sie starten, solange sie läuft. Keine Telemetrie, keine Update-Prüfung.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="316"/>
        <source>{time} · {process} · {where}
{detail}</source>
        <translation>{time} · {process} · {where}
{detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="339"/>
        <source>This session ({count})</source>
        <translation>Diese Sitzung ({count})</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="354"/>
        <source>Reading…</source>
        <translation>Wird gelesen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="419"/>
        <source>Export evidence report</source>
        <translation>Nachweis exportieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="420"/>
        <source>Web page (*.html)</source>
        <translation>Webseite (*.html)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="430"/>
        <source>Writing the report…</source>
        <translation>Der Bericht wird geschrieben …</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="433"/>
        <source>Conversations</source>
        <translation>Gespräche</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="434"/>
        <source>Document index (the text of the document collections)</source>
        <translation>Dokumentindex (der Text der Dokumentsammlungen)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="451"/>
        <source>Report saved: {path}</source>
        <translation>Bericht gespeichert: {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality/panel.py" line="455"/>
        <source>The report could not be saved: {reason}</source>
        <translation>Der Bericht konnte nicht gespeichert werden: {reason}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="120"/>
        <source>Model library</source>
        <translation>Modellbibliothek</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="127"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="128"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="179"/>
        <location filename="../../app/ui/main_window.py" line="337"/>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="184"/>
        <source>How much of the model&apos;s context the conversation fills. When it is full, the oldest messages are left out of the next answer (never the system prompt).</source>
        <translation>Wie viel vom Kontext des Modells das Gespräch füllt. Ist er voll, bleiben die ältesten Nachrichten bei der nächsten Antwort außen vor (nie die Systemanweisung).</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="196"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="197"/>
        <source>&amp;Reset layout</source>
        <translation>Anordnung &amp;zurücksetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="209"/>
        <source>&amp;First steps…</source>
        <translation>&amp;Erste Schritte…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="340"/>
        <source>Model: {name}</source>
        <translation>Modell: {name}</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="342"/>
        <source>(compatibility mode)</source>
        <translation>(Kompatibilitätsmodus)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="344"/>
        <source>This model crashed llama.cpp&apos;s fast settings on this processor, so it runs without them: correct answers, somewhat slower.</source>
        <translation>Mit den schnellen Einstellungen von llama.cpp ist dieses Modell auf diesem Prozessor abgestürzt. Es läuft deshalb ohne sie: gleiche Antworten, etwas langsamer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="367"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} Tokens/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="427"/>
        <source>Context: {percent} full</source>
        <translation>Kontext: {percent} belegt</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="448"/>
        <source>no answer: an error occurred</source>
        <translation>keine Antwort: ein Fehler ist aufgetreten</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="248"/>
        <location filename="../../app/ui/main_window.py" line="455"/>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="285"/>
        <source>This answer has no routing kept: it was written by a dense model, or before MoEscope kept routing.</source>
        <translation>Zu dieser Antwort ist kein Routing gespeichert: Ein dichtes Modell hat sie geschrieben, oder sie entstand, bevor MoEscope Routing aufbewahrte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="291"/>
        <source>This answer was routed by another model than the one loaded: load that model to see and replay its experts.</source>
        <translation>Diese Antwort stammt von einem anderen als dem geladenen Modell: Laden Sie jenes Modell, um ihre Experten zu sehen und abzuspielen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="493"/>
        <source>A fresh engine was started.</source>
        <translation>Eine neue Engine wurde gestartet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="495"/>
        <source>The model is being loaded again; you can go on in a moment.</source>
        <translation>Das Modell wird erneut geladen; gleich können Sie weitermachen.</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <location filename="../../app/ui/library/card.py" line="102"/>
        <source>Loaded</source>
        <translation>Geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="104"/>
        <source>In the library</source>
        <translation>In der Bibliothek</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="114"/>
        <source>Cannot be used: {reason}</source>
        <translation>Nicht verwendbar: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="120"/>
        <location filename="../../app/ui/library/card.py" line="167"/>
        <source>Used where it is: {folder}</source>
        <translation>Wird dort verwendet, wo sie liegt: {folder}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="126"/>
        <source>{count} downloads last month</source>
        <translation>{count} Downloads im letzten Monat</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="131"/>
        <source>Double-click or press “Show files” to see its model files.</source>
        <translation>Doppelklicken oder „Dateien anzeigen“ drücken, um die Modelldateien zu sehen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="135"/>
        <source>MoE</source>
        <translation>MoE</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="135"/>
        <source>Dense</source>
        <translation>Dicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="138"/>
        <source>Mixture of Experts: only some experts work on each token</source>
        <translation>Mixture of Experts: An jedem Token arbeiten nur einige Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="140"/>
        <source>Dense: every parameter works on every token</source>
        <translation>Dicht: Jeder Parameter arbeitet an jedem Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="147"/>
        <source>{total} total · {active} active</source>
        <translation>{total} gesamt · {active} aktiv</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="151"/>
        <source>{n} experts, {k} per token</source>
        <translation>{n} Experten, {k} pro Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="153"/>
        <source> + {count} shared</source>
        <translation> + {count} gemeinsame</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="157"/>
        <source>{total} parameters, all active</source>
        <translation>{total} Parameter, alle aktiv</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="170"/>
        <source>An embedding model: it searches your documents by meaning (File › Documents); it cannot chat.</source>
        <translation>Ein Embedding-Modell: Es durchsucht Ihre Dokumente nach Bedeutung (Datei › Dokumente); chatten kann es nicht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="173"/>
        <source>A vision add-on (mmproj), not a model of its own.</source>
        <translation>Eine Bild-Erweiterung (mmproj), kein eigenständiges Modell.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="176"/>
        <source>Parts of this model are missing on Hugging Face: it cannot be downloaded.</source>
        <translation>Auf Hugging Face fehlen Teile dieses Modells: Es kann nicht heruntergeladen werden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="184"/>
        <source>Demo: random weights — finds words by their letters, not by their meaning</source>
        <translation>Demo: Zufallsgewichte – findet Wörter an ihren Buchstaben, nicht an ihrer Bedeutung</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="186"/>
        <source>Demo: random weights — shows routing mechanics only</source>
        <translation>Demo: Zufallsgewichte — zeigt nur die Routing-Mechanik</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="188"/>
        <source>Embedding model for document search</source>
        <translation>Embedding-Modell für die Dokumentensuche</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="189"/>
        <source>Real text model</source>
        <translation>Echtes Textmodell</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="199"/>
        <source>about {size}</source>
        <translation>etwa {size}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="207"/>
        <source>licence: {license}</source>
        <translation>Lizenz: {license}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="224"/>
        <source>Checking whether it fits this computer…</source>
        <translation>Es wird geprüft, ob es zu diesem Computer passt…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="239"/>
        <source>Downloading: {percent} %</source>
        <translation>Wird heruntergeladen: {percent} %</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="241"/>
        <source>Download failed (see Downloads below)</source>
        <translation>Download fehlgeschlagen (siehe Downloads unten)</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/card.py" line="245"/>
        <source>Gated: accept the licence on huggingface.co and add your Hugging Face token first.</source>
        <translation>Zugangsbeschränkt: Akzeptieren Sie zuerst die Lizenz auf huggingface.co und hinterlegen Sie Ihren Hugging-Face-Token.</translation>
    </message>
</context>
<context>
    <name>ModelErrors</name>
    <message>
        <location filename="../../app/ui/model_errors.py" line="22"/>
        <source>“{file}” is empty (0 bytes): probably a download or copy was stopped. Download or copy the model again.</source>
        <translation>„{file}“ ist leer (0 Byte) — vermutlich wurde der Download oder das Kopieren abgebrochen. Bitte laden oder kopieren Sie das Modell erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="28"/>
        <source>“{file}” is incomplete or damaged: probably a download or copy was stopped before the end. Download or copy the model again.</source>
        <translation>„{file}“ ist unvollständig oder beschädigt — vermutlich wurde der Download oder das Kopieren vor dem Ende abgebrochen. Bitte laden oder kopieren Sie das Modell erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="34"/>
        <source>“{file}” is not a GGUF model file. MoEscope can only use models in the GGUF format (.gguf).</source>
        <translation>„{file}“ ist keine GGUF-Modelldatei. MoEscope kann nur Modelle im GGUF-Format (.gguf) verwenden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="39"/>
        <source>“{file}” is a folder, not a model file. Choose the .gguf file in it.</source>
        <translation>„{file}“ ist ein Ordner, keine Modelldatei. Wählen Sie die .gguf-Datei darin aus.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="41"/>
        <source>“{file}” is no longer there (is it on a drive that is not connected?).</source>
        <translation>„{file}“ ist nicht mehr da (liegt die Datei auf einem Laufwerk, das nicht angeschlossen ist?).</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="45"/>
        <source>“{file}” cannot be opened: your user account is not allowed to read it.</source>
        <translation>„{file}“ lässt sich nicht öffnen: Ihr Benutzerkonto darf diese Datei nicht lesen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="49"/>
        <source>“{file}” could not be read ({error}).</source>
        <translation>„{file}“ konnte nicht gelesen werden ({error}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="51"/>
        <source>“{file}” is in version {version} of the GGUF format; MoEscope can load only versions 2 and 3.</source>
        <translation>„{file}“ liegt in Version {version} des GGUF-Formats vor; MoEscope kann nur die Versionen 2 und 3 laden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="56"/>
        <source>“{file}” was saved for a different kind of computer (big-endian) and cannot be loaded on this one. Use the ordinary file of this model.</source>
        <translation>„{file}“ wurde für einen anderen Computertyp gespeichert (Big-Endian) und kann auf diesem Computer nicht geladen werden. Verwenden Sie die gewöhnliche Datei dieses Modells.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="62"/>
        <source>“{file}” stores its weights in a format this version of MoEscope does not know (perhaps a newer kind of compression). Use another file of the model, for example one compressed to 4 bits (Q4_K_M).</source>
        <translation>„{file}“ speichert seine Gewichte in einem Format, das diese Version von MoEscope nicht kennt (vielleicht eine neuere Art der Komprimierung). Verwenden Sie eine andere Datei des Modells, zum Beispiel eine auf 4 Bit komprimierte (Q4_K_M).</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="69"/>
        <source>“{file}” is damaged or was made incorrectly: its inner structure is not valid, so MoEscope cannot load it. Download the model again or use another file.</source>
        <translation>Die Datei „{file}“ ist beschädigt oder fehlerhaft erstellt; ihr innerer Aufbau ist ungültig, deshalb kann MoEscope sie nicht laden. Laden Sie das Modell erneut herunter oder verwenden Sie eine andere Datei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="75"/>
        <source>“{file}” lacks a setting that is needed to load it ({key}). The file was probably made incorrectly; use another file of the model.</source>
        <translation>In „{file}“ fehlt eine Angabe, die zum Laden nötig ist ({key}). Die Datei wurde vermutlich fehlerhaft erstellt; verwenden Sie eine andere Datei des Modells.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="81"/>
        <source>“{file}” has a model setting with an invalid value ({key}), so MoEscope cannot load it. The file was probably made incorrectly; use another file of the model.</source>
        <translation>„{file}“ enthält eine Modelleinstellung mit ungültigem Wert ({key}), deshalb kann MoEscope die Datei nicht laden. Die Datei wurde vermutlich fehlerhaft erstellt; verwenden Sie eine andere Datei des Modells.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="87"/>
        <source>“{file}” asks for {k} experts per token but has only {n}; the engine would crash on it. The file was probably made incorrectly; use another file of the model.</source>
        <translation>„{file}“ verlangt {k} Experten pro Token, hat aber nur {n}; die Engine würde daran abstürzen. Die Datei wurde vermutlich fehlerhaft erstellt; verwenden Sie eine andere Datei des Modells.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="93"/>
        <source>“{file}” is a dense model without experts, so the number of experts per token cannot be changed.</source>
        <translation>„{file}“ ist ein dichtes Modell ohne Experten, deshalb lässt sich die Zahl der Experten pro Token nicht ändern.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="99"/>
        <source>For “{file}”, the experts per token must be between 1 and {n}, not {k}.</source>
        <translation>Für „{file}“ muss die Zahl der Experten pro Token zwischen 1 und {n} liegen, nicht bei {k}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_errors.py" line="103"/>
        <source>“{file}” is an embedding model: it searches documents by meaning (File › Documents) and cannot answer. Choose a text model to chat with.</source>
        <translation>„{file}“ ist ein Embedding-Modell: Es durchsucht Dokumente nach Bedeutung (Datei › Dokumente) und kann nicht antworten. Wählen Sie zum Chatten ein Textmodell.</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="70"/>
        <source>Choose a model</source>
        <translation>Ein Modell wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="73"/>
        <source>A model is the part that writes the answers. Larger models answer better, but need more memory and answer more slowly. Each line says whether it runs well on this computer.</source>
        <translation>Das Modell ist der Teil, der die Antworten schreibt. Größere Modelle antworten besser, brauchen aber mehr Arbeitsspeicher und antworten langsamer. Jede Zeile sagt, ob es auf diesem Computer gut läuft.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="81"/>
        <source>Models to choose from</source>
        <translation>Modelle zur Auswahl</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="92"/>
        <source>Use a file from a USB stick…</source>
        <translation>Datei von einem USB-Stick verwenden…</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="94"/>
        <source>Add a model file (.gguf) that someone gave you, for example on a USB stick.</source>
        <translation>Eine Modelldatei (.gguf) hinzufügen, die Sie bekommen haben, zum Beispiel auf einem USB-Stick.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="107"/>
        <source>Download progress</source>
        <translation>Fortschritt des Downloads</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="111"/>
        <source>You can close this guide at any time: a download continues in the model library.</source>
        <translation>Sie können diese Einführung jederzeit schließen: Ein Download läuft in der Modellbibliothek weiter.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="160"/>
        <source>good German</source>
        <translation>gutes Deutsch</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="160"/>
        <source>little German</source>
        <translation>wenig Deutsch</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="162"/>
        <source>good English</source>
        <translation>gutes Englisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="162"/>
        <source>little English</source>
        <translation>wenig Englisch</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="164"/>
        <source>needs about {size} of memory</source>
        <translation>braucht etwa {size} Arbeitsspeicher</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="169"/>
        <source>{size} to download</source>
        <translation>{size} zum Herunterladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="171"/>
        <source>in use now</source>
        <translation>gerade in Gebrauch</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="173"/>
        <source>demo: answers are gibberish on purpose</source>
        <translation>Demo: antwortet absichtlich mit Kauderwelsch</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="184"/>
        <source>On this computer</source>
        <translation>Auf diesem Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="186"/>
        <source>No model yet: download one below, or use a file.</source>
        <translation>Noch kein Modell: Laden Sie unten eines herunter oder verwenden Sie eine Datei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="188"/>
        <source>To download from the internet (Hugging Face)</source>
        <translation>Zum Herunterladen aus dem Internet (Hugging Face)</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="253"/>
        <location filename="../../app/ui/guide/model_page.py" line="261"/>
        <source>Use this model</source>
        <translation>Dieses Modell verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="256"/>
        <source>Checking what this computer can run…</source>
        <translation>Es wird geprüft, was dieser Computer ausführen kann…</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="262"/>
        <source>Load it, so that you can chat with it</source>
        <translation>Das Modell laden, damit Sie damit chatten können</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="265"/>
        <source>Downloading…</source>
        <translation>Wird heruntergeladen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="268"/>
        <source>Too big for this computer</source>
        <translation>Zu groß für diesen Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="272"/>
        <source>Download ({size})</source>
        <translation>Herunterladen ({size})</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="272"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="273"/>
        <source>Download it into the models folder; it takes a while</source>
        <translation>In den Modellordner herunterladen; das dauert eine Weile</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="292"/>
        <source>“{name}” is being loaded. When it is ready, you can chat with it.</source>
        <translation>„{name}“ wird geladen. Sobald es bereit ist, können Sie damit chatten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="306"/>
        <source>Choose a model file</source>
        <translation>Eine Modelldatei wählen</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="308"/>
        <source>Model files (*.gguf)</source>
        <translation>Modelldateien (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="324"/>
        <source>“{name}”: {state}</source>
        <translation>„{name}“: {state}</translation>
    </message>
    <message>
        <location filename="../../app/ui/guide/model_page.py" line="328"/>
        <source>“{name}” is downloaded and ready: choose “Use this model”.</source>
        <translation>„{name}“ ist heruntergeladen und bereit: Wählen Sie „Dieses Modell verwenden“.</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="90"/>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="94"/>
        <location filename="../../app/ui/kiosk/admin.py" line="143"/>
        <location filename="../../app/ui/kiosk/admin.py" line="165"/>
        <location filename="../../app/ui/kiosk/admin.py" line="187"/>
        <source>Enter the PIN.</source>
        <translation>Geben Sie die PIN ein.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="104"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="108"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="112"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="169"/>
        <source>Wrong PIN.</source>
        <translation>Falsche PIN.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/admin.py" line="182"/>
        <source>Too many wrong PINs. Try again in {time}.</source>
        <translation>Zu viele falsche PINs. Versuchen Sie es in {time} erneut.</translation>
    </message>
</context>
<context>
    <name>PresentationMode</name>
    <message>
        <location filename="../../app/ui/presentation.py" line="103"/>
        <source>The expert view is on the other screen. Press F5 to bring it back.</source>
        <translation>Die Expertenansicht ist auf dem anderen Bildschirm. Mit F5 holen Sie sie zurück.</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="41"/>
        <source>for example: GPU server</source>
        <translation>zum Beispiel: GPU-Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="45"/>
        <source>SGLang (shows routing)</source>
        <translation>SGLang (zeigt das Routing)</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="46"/>
        <source>vLLM (shows routing)</source>
        <translation>vLLM (zeigt das Routing)</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="47"/>
        <source>Other OpenAI-compatible server (chat only)</source>
        <translation>Anderer OpenAI-kompatibler Server (nur Chat)</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="52"/>
        <source>as the server names it; the test lists them</source>
        <translation>wie der Server es nennt; der Test listet sie auf</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="58"/>
        <source>Remove the stored key</source>
        <translation>Gespeicherten Schlüssel entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="59"/>
        <source>Check the server&apos;s certificate (recommended)</source>
        <translation>Zertifikat des Servers prüfen (empfohlen)</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="60"/>
        <source>Without the check, a computer between you and the server could read what you send.</source>
        <translation>Ohne die Prüfung könnte ein Computer zwischen Ihnen und dem Server mitlesen, was Sie senden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="65"/>
        <source>the system&apos;s certificates</source>
        <translation>die Zertifikate des Systems</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="67"/>
        <source>the model&apos;s config.json: needed to show routing</source>
        <translation>die config.json des Modells: nötig, um das Routing zu zeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="71"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="72"/>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse:</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="73"/>
        <source>&amp;Kind:</source>
        <translation>A&amp;rt:</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="74"/>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="75"/>
        <source>API &amp;key:</source>
        <translation>API-&amp;Schlüssel:</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="78"/>
        <source>TLS:</source>
        <translation>TLS:</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="80"/>
        <source>CA &amp;bundle:</source>
        <translation>&amp;Zertifikate (CA):</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="81"/>
        <source>&amp;config.json:</source>
        <translation>&amp;config.json:</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="92"/>
        <source>Choose…</source>
        <translation>Wählen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="102"/>
        <source>Certificate authority (PEM)</source>
        <translation>Zertifizierungsstelle (PEM)</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="103"/>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="109"/>
        <source>The model&apos;s config.json</source>
        <translation>Die config.json des Modells</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="110"/>
        <source>Model configuration (*.json)</source>
        <translation>Modellkonfiguration (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="149"/>
        <source>Give the server a name.</source>
        <translation>Geben Sie dem Server einen Namen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="151"/>
        <source>The address must start with https:// (or http://) and name the server.</source>
        <translation>Die Adresse muss mit https:// (oder http://) beginnen und den Server nennen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="153"/>
        <source>Name the model, or run the connection test to choose one.</source>
        <translation>Nennen Sie das Modell, oder starten Sie den Verbindungstest, um eines auszuwählen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="169"/>
        <source>stored — type a new key to replace it</source>
        <translation>gespeichert – geben Sie einen neuen Schlüssel ein, um ihn zu ersetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="170"/>
        <source>none (if the server needs no key)</source>
        <translation>keiner (wenn der Server keinen Schlüssel braucht)</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="171"/>
        <source>Kept in this computer&apos;s keyring, never in a file.</source>
        <translation>Wird im Schlüsselbund dieses Computers aufbewahrt, nie in einer Datei.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/profile_form.py" line="172"/>
        <source>This computer has no keyring: the key is kept only until MoEscope closes.</source>
        <translation>Dieser Computer hat keinen Schlüsselbund: Der Schlüssel bleibt nur erhalten, bis MoEscope geschlossen wird.</translation>
    </message>
</context>
<context>
    <name>ProjectorWindow</name>
    <message>
        <location filename="../../app/ui/presentation.py" line="40"/>
        <source>MoEscope — expert view</source>
        <translation>MoEscope – Expertenansicht</translation>
    </message>
</context>
<context>
    <name>QuestionBox</name>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="41"/>
        <source>Type your question here…</source>
        <translation>Geben Sie hier Ihre Frage ein …</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="42"/>
        <source>Your question</source>
        <translation>Ihre Frage</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/conversation.py" line="46"/>
        <source>Ask</source>
        <translation>Fragen</translation>
    </message>
</context>
<context>
    <name>RemoteWords</name>
    <message>
        <location filename="../../app/ui/remote/words.py" line="21"/>
        <source>The server cannot be reached. Check the address, that the server is running, and that this computer is in the company network.</source>
        <translation>Der Server ist nicht erreichbar. Prüfen Sie die Adresse, ob der Server läuft und ob dieser Computer im Firmennetz ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="24"/>
        <source>The secure connection (TLS) to the server failed, so nothing was sent. If your company has its own certificate authority, choose its CA bundle.</source>
        <translation>Die sichere Verbindung (TLS) zum Server ist fehlgeschlagen, deshalb wurde nichts gesendet. Wenn Ihre Firma eine eigene Zertifizierungsstelle hat, wählen Sie deren Zertifikate (CA).</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="27"/>
        <source>The server refused the API key, or needs one. Check the key with your administrator.</source>
        <translation>Der Server hat den API-Schlüssel abgelehnt oder braucht einen. Klären Sie den Schlüssel mit Ihrem Administrator.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="30"/>
        <source>The server does not offer this model. Choose one that the connection test lists.</source>
        <translation>Der Server bietet dieses Modell nicht an. Wählen Sie eines, das der Verbindungstest auflistet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="33"/>
        <source>The server is busy and asks to wait {wait}. Then try again.</source>
        <translation>Der Server ist ausgelastet und bittet, {wait} zu warten. Versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="36"/>
        <source>The server is busy. Try again in a moment.</source>
        <translation>Der Server ist ausgelastet. Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="38"/>
        <source>The server had a problem of its own. Try again later, or tell your administrator.</source>
        <translation>Der Server hatte ein eigenes Problem. Versuchen Sie es später erneut, oder sagen Sie Ihrem Administrator Bescheid.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="41"/>
        <source>The server sent something MoEscope cannot read. Check that the kind of server (SGLang, vLLM or other) is right.</source>
        <translation>Der Server hat etwas gesendet, das MoEscope nicht lesen kann. Prüfen Sie, ob die Art des Servers (SGLang, vLLM oder anderer) stimmt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="44"/>
        <source>Offline mode is on: MoEscope connects to no other computer. Turn it off under File › Data locality to use the server.</source>
        <translation>Der Offline-Modus ist an: MoEscope verbindet sich mit keinem anderen Computer. Schalten Sie ihn unter Datei › Datenverbleib aus, um den Server zu verwenden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="52"/>
        <source>✓ Chat: the server answers.</source>
        <translation>✓ Chat: Der Server antwortet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="53"/>
        <source>✗ Chat: the server does not answer chat requests.</source>
        <translation>✗ Chat: Der Server beantwortet keine Chat-Anfragen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="54"/>
        <source>✓ Streaming: answers appear word by word.</source>
        <translation>✓ Streaming: Antworten erscheinen Wort für Wort.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="55"/>
        <source>✗ Streaming: answers appear only when complete.</source>
        <translation>✗ Streaming: Antworten erscheinen erst, wenn sie fertig sind.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="56"/>
        <source>✓ Routing: the server reports which experts were chosen for every word.</source>
        <translation>✓ Routing: Der Server meldet für jedes Wort, welche Experten gewählt wurden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/words.py" line="58"/>
        <source>✗ Routing: the server does not report the chosen experts; the expert view stays empty.</source>
        <translation>✗ Routing: Der Server meldet die gewählten Experten nicht; die Expertenansicht bleibt leer.</translation>
    </message>
</context>
<context>
    <name>ReplayBar</name>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="200"/>
        <source>{speed}×</source>
        <translation>{speed}×</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="212"/>
        <source>To the first token (Home)</source>
        <translation>Zum ersten Token (Pos1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="213"/>
        <source>One token back (Left, Page Up)</source>
        <translation>Ein Token zurück (Links, Bild auf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="214"/>
        <location filename="../../app/ui/experts/replay_bar.py" line="289"/>
        <source>Play (Space)</source>
        <translation>Abspielen (Leertaste)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="215"/>
        <source>One token on (Right, Page Down)</source>
        <translation>Ein Token weiter (Rechts, Bild ab)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="216"/>
        <source>To the last token (End)</source>
        <translation>Zum letzten Token (Ende)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="224"/>
        <source>Speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="239"/>
        <source>Replay at {speed} the speed the answer was written</source>
        <translation>Wiedergabe mit {speed} des Tempos, in dem die Antwort entstand</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="289"/>
        <source>Pause (Space)</source>
        <translation>Pause (Leertaste)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/replay_bar.py" line="315"/>
        <source>{token} of {count}</source>
        <translation>{token} von {count}</translation>
    </message>
</context>
<context>
    <name>ReplayFrames</name>
    <message>
        <location filename="../../app/ui/experts/exports.py" line="103"/>
        <source>Writing the replay&apos;s pictures…</source>
        <translation>Die Bilder der Wiedergabe werden geschrieben …</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/exports.py" line="103"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/exports.py" line="115"/>
        <source>One picture per token, in order. To make a video of them, for example:</source>
        <translation>Ein Bild pro Token, der Reihe nach. Ein Video daraus entsteht zum Beispiel mit:</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/exports.py" line="132"/>
        <source>{file} could not be written.</source>
        <translation>{file} konnte nicht geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>RouterDiagram</name>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="85"/>
        <location filename="../../app/ui/experts/router_diagram.py" line="87"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="93"/>
        <source>Previous layer (Down key)</source>
        <translation>Vorige Schicht (Pfeil nach unten)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="97"/>
        <source>Next layer (Up key)</source>
        <translation>Nächste Schicht (Pfeil nach oben)</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="114"/>
        <source>Router diagram</source>
        <translation>Router-Diagramm</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="251"/>
        <source>This engine reports which experts were chosen, not their weights.</source>
        <translation>Diese Engine meldet, welche Experten gewählt wurden, aber nicht ihre Gewichte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="253"/>
        <source>The engine did not report the router&apos;s full scores here: only the chosen experts and their weights are shown.</source>
        <translation>Die Engine hat hier nicht alle Bewertungen des Routers gemeldet: Gezeigt werden nur die gewählten Experten und ihre Gewichte.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="267"/>
        <source>MoE layer: the router picks {k} of {n} experts for each token</source>
        <translation>MoE-Schicht: Der Router wählt für jedes Token {k} von {n} Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="270"/>
        <source>Dense layer</source>
        <translation>Dichte Schicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="376"/>
        <location filename="../../app/ui/experts/router_diagram.py" line="384"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="376"/>
        <source>Dense feed-forward block</source>
        <translation>Dichter Feed-Forward-Block</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="384"/>
        <source>Router</source>
        <translation>Router</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="385"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="385"/>
        <source>Weighted sum</source>
        <translation>Gewichtete Summe</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="451"/>
        <source>softmax: scores sum to 1</source>
        <translation>Softmax: Die Bewertungen ergeben zusammen 1</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="452"/>
        <source>sigmoid: each score between 0 and 1 on its own</source>
        <translation>Sigmoid: Jede Bewertung liegt für sich zwischen 0 und 1</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="455"/>
        <source>shared - always on</source>
        <translation>geteilt – immer aktiv</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="456"/>
        <source>dense layer: no router, every parameter works</source>
        <translation>dichte Schicht: kein Router, jeder Parameter arbeitet</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="457"/>
        <source>to layer {number}</source>
        <translation>zu Schicht {number}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/router_diagram.py" line="458"/>
        <source>to the output</source>
        <translation>zur Ausgabe</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="63"/>
        <source>Company server — MoEscope</source>
        <translation>Firmenserver — MoEscope</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="70"/>
        <source>MoEscope can let a server in your company&apos;s network answer instead of this computer: large models such as DeepSeek-V3 run there. SGLang and vLLM also report which experts were chosen.</source>
        <translation>MoEscope kann statt dieses Computers einen Server im Netz Ihrer Firma antworten lassen: Dort laufen große Modelle wie DeepSeek-V3. SGLang und vLLM melden außerdem, welche Experten gewählt wurden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="74"/>
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="76"/>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="78"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="89"/>
        <source>Set up by your administrator: it cannot be changed here.</source>
        <translation>Von Ihrem Administrator eingerichtet: Hier nicht änderbar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="91"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="93"/>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="116"/>
        <source>Use this computer</source>
        <translation>Diesen Computer verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="118"/>
        <source>Use this server</source>
        <translation>Diesen Server verwenden</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="151"/>
        <source>{name} (in use)</source>
        <translation>{name} (in Gebrauch)</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="167"/>
        <source>New server</source>
        <translation>Neuer Server</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="182"/>
        <source>Removed {name}.</source>
        <translation>{name} entfernt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="218"/>
        <source>There is already a server named {name}.</source>
        <translation>Es gibt bereits einen Server namens {name}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="230"/>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="245"/>
        <source>Testing the connection…</source>
        <translation>Die Verbindung wird getestet …</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="254"/>
        <source>Models on this server: {models}</source>
        <translation>Modelle auf diesem Server: {models}</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="256"/>
        <source>✗ The server does not list the model {model}.</source>
        <translation>✗ Der Server führt das Modell {model} nicht.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="258"/>
        <source>Details: {detail}</source>
        <translation>Details: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="260"/>
        <source>Choose the model&apos;s config.json as well: MoEscope needs its layers to show the routing.</source>
        <translation>Wählen Sie auch die config.json des Modells: MoEscope braucht seine Schichten, um das Routing zu zeigen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="263"/>
        <source>To see the routing, the server must be started with --enable-return-routed-experts.</source>
        <translation>Damit das Routing sichtbar wird, muss der Server mit --enable-return-routed-experts gestartet werden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="269"/>
        <source>The test failed. {why}
Details: {detail}</source>
        <translation>Der Test ist fehlgeschlagen. {why}
Details: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="281"/>
        <source>{name} answers from now on.</source>
        <translation>Ab jetzt antwortet {name}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="288"/>
        <source>This computer answers from now on.</source>
        <translation>Ab jetzt antwortet dieser Computer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="298"/>
        <source>Answers come from this computer.</source>
        <translation>Die Antworten kommen von diesem Computer.</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="300"/>
        <source>Answers come from {name} ({host}).</source>
        <translation>Die Antworten kommen von {name} ({host}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/remote/server_dialog.py" line="309"/>
        <source>Company server…</source>
        <translation>Firmenserver …</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="126"/>
        <source>Chat settings</source>
        <translation>Chat-Einstellungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="131"/>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="132"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="133"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="134"/>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="135"/>
        <source>Repeat penalty</source>
        <translation>Wiederholungsstrafe</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="138"/>
        <source>Higher values give more varied answers; 0 always takes the likeliest word.</source>
        <translation>Höhere Werte geben abwechslungsreichere Antworten; 0 nimmt immer das wahrscheinlichste Wort.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="139"/>
        <source>Only the likeliest words that together make up this share are considered.</source>
        <translation>Nur die wahrscheinlichsten Wörter, die zusammen diesen Anteil ausmachen, kommen in Frage.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="140"/>
        <source>Only this many of the likeliest words are considered; 0 considers all.</source>
        <translation>Nur so viele der wahrscheinlichsten Wörter kommen in Frage; 0 lässt alle zu.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="141"/>
        <source>Words less likely than this share of the likeliest one are left out; 0 switches it off.</source>
        <translation>Wörter, die weniger wahrscheinlich sind als dieser Anteil des wahrscheinlichsten, fallen weg; 0 schaltet das ab.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="143"/>
        <source>Above 1 makes the model repeat recent words less; 1 switches it off.</source>
        <translation>Über 1 wiederholt das Modell kürzlich verwendete Wörter seltener; 1 schaltet das ab.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="147"/>
        <location filename="../../app/ui/chat/settings_dialog.py" line="169"/>
        <source>Preset</source>
        <translation>Voreinstellung</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="151"/>
        <source>Save as preset…</source>
        <translation>Als Voreinstellung speichern …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="153"/>
        <source>Delete preset</source>
        <translation>Voreinstellung löschen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="161"/>
        <location filename="../../app/ui/chat/settings_dialog.py" line="170"/>
        <source>System prompt</source>
        <translation>Systemanweisung</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="163"/>
        <source>Instructions the model follows throughout the conversation, for example: “Answer briefly, in German.”</source>
        <translation>Anweisungen, denen das Modell im ganzen Gespräch folgt, zum Beispiel: „Antworte kurz und auf Deutsch.“</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="184"/>
        <location filename="../../app/ui/chat/settings_dialog.py" line="202"/>
        <source>Longest answer</source>
        <translation>Längste Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="185"/>
        <location filename="../../app/ui/chat/settings_dialog.py" line="197"/>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="186"/>
        <source>An answer ends after this many tokens at the latest.</source>
        <translation>Eine Antwort endet spätestens nach so vielen Tokens.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="189"/>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="190"/>
        <location filename="../../app/ui/chat/settings_dialog.py" line="203"/>
        <source>Seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="191"/>
        <source>The same seed, settings and question give the same answer again; “Random” gives a new one each time.</source>
        <translation>Gleicher Startwert, gleiche Einstellungen und gleiche Frage ergeben wieder dieselbe Antwort; „Zufällig“ gibt jedes Mal eine neue.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="196"/>
        <location filename="../../app/ui/chat/settings_dialog.py" line="204"/>
        <source>Context length</source>
        <translation>Kontextlänge</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="198"/>
        <source>How much of the conversation the model sees at once. More needs more memory; the model is loaded again with it.</source>
        <translation>Wie viel vom Gespräch das Modell auf einmal sieht. Mehr braucht mehr Arbeitsspeicher; das Modell wird damit neu geladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="232"/>
        <source>The model file recommends no sampling settings; “Default” uses MoEscope&apos;s usual values.</source>
        <translation>Die Modelldatei empfiehlt keine Sampling-Einstellungen; „Standard“ verwendet die üblichen Werte von MoEscope.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="237"/>
        <source>{model} recommends: {values}.</source>
        <translation>{model} empfiehlt: {values}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="238"/>
        <source>The model file recommends: {values}.</source>
        <translation>Die Modelldatei empfiehlt: {values}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="291"/>
        <source>Save preset</source>
        <translation>Voreinstellung speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="291"/>
        <source>Name of the preset:</source>
        <translation>Name der Voreinstellung:</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/settings_dialog.py" line="302"/>
        <source>Custom</source>
        <translation>Eigene</translation>
    </message>
</context>
<context>
    <name>SettingsMenu</name>
    <message>
        <location filename="../../app/ui/settings_menu.py" line="33"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_menu.py" line="36"/>
        <source>&amp;Chat settings…</source>
        <translation>&amp;Chat-Einstellungen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_menu.py" line="44"/>
        <source>&amp;Kiosk mode…</source>
        <translation>&amp;Kiosk-Modus …</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_menu.py" line="47"/>
        <source>For an administrator: prepare this computer as an unattended kiosk for events, with one model, example questions and a PIN.</source>
        <translation>Für Administratoren: Diesen Computer als unbeaufsichtigten Kiosk für Veranstaltungen einrichten, mit einem Modell, Beispielfragen und einer PIN.</translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <location filename="../../app/ui/documents/source_dialog.py" line="31"/>
        <source>Source [{number}] — MoEscope</source>
        <translation>Quelle [{number}] — MoEscope</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/source_dialog.py" line="38"/>
        <source>The passage the model was given</source>
        <translation>Der Abschnitt, den das Modell bekam</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/source_dialog.py" line="39"/>
        <source>Open the file</source>
        <translation>Datei öffnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/source_dialog.py" line="40"/>
        <source>Opens the document in the program your system uses for it</source>
        <translation>Öffnet das Dokument in dem Programm, das Ihr System dafür verwendet</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/source_dialog.py" line="63"/>
        <source>The file is gone</source>
        <translation>Die Datei ist nicht mehr da</translation>
    </message>
    <message>
        <location filename="../../app/ui/documents/source_dialog.py" line="64"/>
        <source>{path} is no longer there: it was moved or deleted. The passage below is the one the answer was given.</source>
        <translation>{path} ist nicht mehr da: Die Datei wurde verschoben oder gelöscht. Der Abschnitt unten ist der, den die Antwort bekommen hat.</translation>
    </message>
</context>
<context>
    <name>TalkFigures</name>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="61"/>
        <source>Copy for slide</source>
        <translation>Für Folie kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="62"/>
        <source>Put these numbers on the clipboard as plain text</source>
        <translation>Diese Zahlen als reinen Text in die Zwischenablage legen</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="89"/>
        <source>Load a model to see its numbers.</source>
        <translation>Laden Sie ein Modell, um seine Zahlen zu sehen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="93"/>
        <source>All {total} parameters work on every token: a dense model has no experts to choose from.</source>
        <translation>Alle {total} Parameter arbeiten an jedem Token: Ein dichtes Modell hat keine Experten zur Auswahl.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="106"/>
        <source>{active} of {total} parameters work on each token ({share}).</source>
        <translation>{active} von {total} Parametern arbeiten an jedem Token ({share}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="109"/>
        <source>So a token takes about {operations} operations instead of {dense} for a dense model of the same size: {saved} less compute, {times}× fewer.</source>
        <translation>Ein Token braucht also etwa {operations} Rechenoperationen statt {dense} bei einem dichten Modell gleicher Größe: {saved} weniger Rechenaufwand, {times}-mal weniger.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="122"/>
        <source>This engine reports which experts were chosen, not their weights: these numbers count the choices.</source>
        <translation>Diese Engine meldet, welche Experten gewählt wurden, aber nicht ihre Gewichte: Diese Zahlen zählen die Wahlen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="125"/>
        <source>Load balance in layer {layer}: {evenness} of 1 (1: all {n} experts equally busy). Most used: expert {most} with {share} of the choices.</source>
        <translation>Lastverteilung in Schicht {layer}: {evenness} von 1 (1: alle {n} Experten gleich beschäftigt). Am häufigsten: Experte {most} mit {share} der Wahlen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/experts/talk_figures.py" line="130"/>
        <source>%n of its {n} experts were not chosen at all.</source>
        <translation>
            <numerusform>%n ihrer {n} Experten wurde gar nicht gewählt.</numerusform>
            <numerusform>%n ihrer {n} Experten wurden gar nicht gewählt.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="133"/>
        <source>Least used: expert {least} with {share}.</source>
        <translation>Am seltensten: Experte {least} mit {share}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="138"/>
        <source>Over all {count} MoE layers: {mean} on average; least even: layer {layer} ({value}).</source>
        <translation>Über alle {count} MoE-Schichten: {mean} im Mittel; am ungleichsten: Schicht {layer} ({value}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/talk_figures.py" line="145"/>
        <source>Consecutive tokens keep the same top expert {share} of the time in layer {layer} ({mean} over all layers; {chance} if the router picked at random).</source>
        <translation>Aufeinanderfolgende Tokens behalten in Schicht {layer} in {share} der Fälle denselben Top-Experten ({mean} über alle Schichten; {chance}, wenn der Router zufällig wählte).</translation>
    </message>
</context>
<context>
    <name>ThemeMenu</name>
    <message>
        <location filename="../../app/ui/theme_menu.py" line="21"/>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <location filename="../../app/ui/theme_menu.py" line="27"/>
        <source>As the &amp;system</source>
        <translation>Wie das &amp;System</translation>
    </message>
    <message>
        <location filename="../../app/ui/theme_menu.py" line="27"/>
        <source>Light or dark as the system is set</source>
        <translation>Hell oder dunkel, wie das System eingestellt ist</translation>
    </message>
    <message>
        <location filename="../../app/ui/theme_menu.py" line="28"/>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <location filename="../../app/ui/theme_menu.py" line="28"/>
        <source>Dark text on a light background</source>
        <translation>Dunkle Schrift auf hellem Hintergrund</translation>
    </message>
    <message>
        <location filename="../../app/ui/theme_menu.py" line="29"/>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <location filename="../../app/ui/theme_menu.py" line="29"/>
        <source>Light text on a dark background</source>
        <translation>Helle Schrift auf dunklem Hintergrund</translation>
    </message>
</context>
<context>
    <name>TokenDialog</name>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="50"/>
        <source>Hugging Face token</source>
        <translation>Hugging-Face-Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="54"/>
        <source>Some models on Hugging Face are gated: you accept their licence on the model&apos;s page at huggingface.co, and MoEscope needs your personal access token to download them. Create one there under Settings › Access Tokens; the “Read” kind is enough. Other models need no token.</source>
        <translation>Manche Modelle auf Hugging Face sind zugangsbeschränkt: Sie akzeptieren ihre Lizenz auf der Seite des Modells bei huggingface.co, und MoEscope braucht Ihren persönlichen Zugangstoken, um sie herunterzuladen. Sie erstellen ihn dort unter Settings › Access Tokens; die Art „Read“ genügt. Andere Modelle brauchen keinen Token.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="66"/>
        <source>Paste a token (hf_…)</source>
        <translation>Token einfügen (hf_…)</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="67"/>
        <source>New Hugging Face token</source>
        <translation>Neuer Hugging-Face-Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="70"/>
        <location filename="../../app/ui/library/token_dialog.py" line="147"/>
        <source>Save token</source>
        <translation>Token speichern</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="73"/>
        <source>Remove token</source>
        <translation>Token entfernen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="103"/>
        <source>A token has no spaces in it. Please copy it again.</source>
        <translation>Ein Token enthält keine Leerzeichen. Bitte kopieren Sie ihn noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="107"/>
        <source>The token was saved.</source>
        <translation>Der Token wurde gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="113"/>
        <source>The token was removed.</source>
        <translation>Der Token wurde entfernt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="121"/>
        <source>A token is stored: {masked}</source>
        <translation>Ein Token ist hinterlegt: {masked}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="123"/>
        <source>No token is stored.</source>
        <translation>Es ist kein Token hinterlegt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="127"/>
        <source>It is kept in this computer&apos;s password store (keyring), never in a file of MoEscope.</source>
        <translation>Er liegt in der Passwortverwaltung (Schlüsselbund) dieses Computers, nie in einer Datei von MoEscope.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="134"/>
        <source>This computer has no password store (keyring) MoEscope can use, so the token is kept for this session only: it is forgotten when MoEscope closes, and never written to a file.</source>
        <translation>Dieser Computer hat keine Passwortverwaltung (Schlüsselbund), die MoEscope nutzen kann. Der Token gilt deshalb nur für diese Sitzung: Er wird beim Beenden von MoEscope vergessen und nie in eine Datei geschrieben.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library/token_dialog.py" line="147"/>
        <source>Replace token</source>
        <translation>Token ersetzen</translation>
    </message>
</context>
<context>
    <name>TokenNames</name>
    <message>
        <location filename="../../app/ui/experts/token_names.py" line="18"/>
        <source>Answer token {n}</source>
        <translation>Antwort-Token {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_names.py" line="19"/>
        <source>Prompt token {n}</source>
        <translation>Eingabe-Token {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_names.py" line="29"/>
        <source>Answer tokens {first}–{last}</source>
        <translation>Antwort-Tokens {first}–{last}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_names.py" line="31"/>
        <source>Prompt tokens {first}–{last}</source>
        <translation>Eingabe-Tokens {first}–{last}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_names.py" line="33"/>
        <source>Prompt token {first} to answer token {last}</source>
        <translation>Eingabe-Token {first} bis Antwort-Token {last}</translation>
    </message>
</context>
<context>
    <name>TokenStrip</name>
    <message>
        <location filename="../../app/ui/experts/token_strip.py" line="76"/>
        <source>Token strip</source>
        <translation>Token-Leiste</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_strip.py" line="369"/>
        <source>Top expert in layer {layer}:</source>
        <translation>Top-Experte in Schicht {layer}:</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_strip.py" line="371"/>
        <source>&lt;span style=&apos;color:{colour}&apos;&gt;■&lt;/span&gt;&amp;nbsp;{count} others</source>
        <translation>&lt;span style=&apos;color:{colour}&apos;&gt;■&lt;/span&gt;&amp;nbsp;{count} weitere</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_strip.py" line="420"/>
        <source>The tokens of the answer appear here.</source>
        <translation>Hier erscheinen die Tokens der Antwort.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_strip.py" line="471"/>
        <source>Answer · {count} tokens</source>
        <translation>Antwort · {count} Tokens</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_strip.py" line="472"/>
        <source>Prompt · {count} tokens</source>
        <translation>Eingabe · {count} Tokens</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_strip.py" line="495"/>
        <source>{name}: “{text}”</source>
        <translation>{name}: „{text}“</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts/token_strip.py" line="498"/>
        <source>Top expert in layer {layer}: {expert}</source>
        <translation>Top-Experte in Schicht {layer}: {expert}</translation>
    </message>
</context>
<context>
    <name>Transcript</name>
    <message>
        <location filename="../../app/ui/chat/transcript.py" line="111"/>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/transcript.py" line="246"/>
        <location filename="../../app/ui/chat/transcript.py" line="350"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/transcript.py" line="246"/>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/transcript.py" line="246"/>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/transcript.py" line="247"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/transcript.py" line="256"/>
        <source>Sources:</source>
        <translation>Quellen:</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/transcript.py" line="270"/>
        <source>Thinking…</source>
        <translation>Denkt nach …</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/transcript.py" line="272"/>
        <source>Thoughts</source>
        <translation>Gedanken</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat/transcript.py" line="274"/>
        <source>Thought for {duration}</source>
        <translation>Hat {duration} nachgedacht</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../../app/ui/kiosk/welcome.py" line="62"/>
        <source>Ask the model something!</source>
        <translation>Fragen Sie das Modell etwas!</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/welcome.py" line="66"/>
        <source>A language model answers right here, on this computer. Choose a question or type your own.</source>
        <translation>Ein Sprachmodell antwortet direkt hier, auf diesem Computer. Wählen Sie eine Frage oder geben Sie Ihre eigene ein.</translation>
    </message>
    <message>
        <location filename="../../app/ui/kiosk/welcome.py" line="78"/>
        <source>Nothing you type is stored. When you leave, the conversation is cleared for the next visitor.</source>
        <translation>Nichts, was Sie eingeben, wird gespeichert. Wenn Sie gehen, wird das Gespräch für den nächsten Besucher gelöscht.</translation>
    </message>
</context>
</TS>
