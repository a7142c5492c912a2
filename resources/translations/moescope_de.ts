<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="98"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="98"/>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="98"/>
        <source>Host</source>
        <translation>Gegenstelle</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="98"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="98"/>
        <source>Action</source>
        <translation>Vorgang</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="99"/>
        <source>Verdict</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="126"/>
        <source>window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="126"/>
        <source>engine</source>
        <translation>Engine</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="138"/>
        <source>local</source>
        <translation>lokal</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="139"/>
        <source>allowed (your action)</source>
        <translation>erlaubt (Ihr Auftrag)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="140"/>
        <source>blocked</source>
        <translation>blockiert</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="141"/>
        <source>UNEXPECTED</source>
        <translation>UNERWARTET</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="147"/>
        <source>{action} refused: offline mode</source>
        <translation>{action} abgelehnt: Offline-Modus</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="149"/>
        <source>listening socket</source>
        <translation>wartet auf Verbindungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="153"/>
        <source>{action} (seen open)</source>
        <translation>{action} (offene Verbindung)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="151"/>
        <source>connection attempt</source>
        <translation>Verbindungsversuch</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="154"/>
        <source>open connection</source>
        <translation>offene Verbindung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="160"/>
        <source>download from {host}</source>
        <translation>Download von {host}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="162"/>
        <source>search on {host}</source>
        <translation>Suche auf {host}</translation>
    </message>
</context>
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="88"/>
        <source>Type your message — Enter sends, Shift+Enter starts a new line</source>
        <translation>Nachricht eingeben — Eingabetaste sendet, Umschalt+Eingabe beginnt eine neue Zeile</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="94"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="97"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="98"/>
        <source>Stop the answer now</source>
        <translation>Die Antwort jetzt anhalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="100"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="101"/>
        <source>Forget this conversation and start afresh</source>
        <translation>Dieses Gespräch vergessen und neu beginnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="119"/>
        <source>Welcome! Type your message below and press Enter. The answer appears here, and the Experts pane shows which experts work on every token. Another model can be chosen in the Model library (Load).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="137"/>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="169"/>
        <source>1 token</source>
        <translation>1 Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="169"/>
        <source>{count} tokens</source>
        <translation>{count} Tokens</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="172"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} Tokens/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="176"/>
        <source>first token after {seconds} s</source>
        <translation>erstes Token nach {seconds} s</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="179"/>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="180"/>
        <source>length limit reached</source>
        <translation>Längengrenze erreicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="181"/>
        <source>the conversation is too long for the model — start a new chat</source>
        <translation>das Gespräch ist zu lang für das Modell — beginnen Sie einen neuen Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_pane.py" line="231"/>
        <source>Load a model in the Model library first</source>
        <translation>Laden Sie zuerst ein Modell in der Modellbibliothek</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <location filename="../../app/worker.py" line="149"/>
        <source>The engine could not be started: {reason}</source>
        <translation>Die Engine konnte nicht gestartet werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/worker.py" line="181"/>
        <source>The engine is not running. Please try again in a moment.</source>
        <translation>Die Engine läuft nicht. Bitte versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/worker.py" line="248"/>
        <source>The engine stopped unexpectedly ({how}).</source>
        <translation>Die Engine wurde unerwartet beendet ({how}).</translation>
    </message>
    <message>
        <location filename="../../app/worker.py" line="256"/>
        <source>it stopped answering</source>
        <translation>sie hat nicht mehr geantwortet</translation>
    </message>
    <message>
        <location filename="../../app/worker.py" line="262"/>
        <source>it was ended by the operating system, {name}</source>
        <translation>vom Betriebssystem beendet, {name}</translation>
    </message>
    <message>
        <location filename="../../app/worker.py" line="263"/>
        <source>it quit with error code {code}</source>
        <translation>Fehlercode {code}</translation>
    </message>
    <message>
        <location filename="../../app/worker.py" line="277"/>
        <source>The engine stopped {count} times within a minute, so it was not started again. Please restart MoEscope.</source>
        <translation>Die Engine wurde innerhalb einer Minute {count}-mal beendet und deshalb nicht erneut gestartet. Bitte starten Sie MoEscope neu.</translation>
    </message>
    <message>
        <location filename="../../app/worker.py" line="295"/>
        <source>The engine stopped while loading this file. It may be damaged or not supported by this version of MoEscope.</source>
        <translation>Die Engine wurde beim Laden dieser Datei beendet. Die Datei ist vielleicht beschädigt oder wird von dieser Version von MoEscope nicht unterstützt.</translation>
    </message>
</context>
<context>
    <name>ExpertHeatmap</name>
    <message>
        <location filename="../../app/ui/heatmap.py" line="51"/>
        <source>Expert heatmap</source>
        <translation>Experten-Heatmap</translation>
    </message>
    <message>
        <location filename="../../app/ui/heatmap.py" line="124"/>
        <source>Expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../../app/ui/heatmap.py" line="132"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/heatmap.py" line="225"/>
        <location filename="../../app/ui/heatmap.py" line="247"/>
        <source>not chosen</source>
        <translation>nicht gewählt</translation>
    </message>
    <message>
        <location filename="../../app/ui/heatmap.py" line="244"/>
        <source>Layer {layer} · expert {expert}: {value}</source>
        <translation>Schicht {layer} · Experte {expert}: {value}</translation>
    </message>
</context>
<context>
    <name>ExpertsPane</name>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="65"/>
        <source>No model loaded yet.

Load a model in the Model library to see which experts work on each word the model reads and writes.</source>
        <translation>Noch kein Modell geladen.

Laden Sie ein Modell in der Modellbibliothek, um zu sehen, welche Experten an jedem Wort arbeiten, das das Modell liest und schreibt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="106"/>
        <location filename="../../app/ui/experts_pane.py" line="228"/>
        <source>Current token</source>
        <translation>Aktuelles Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="114"/>
        <source>This token</source>
        <translation>Dieses Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="115"/>
        <source>Whole answer</source>
        <translation>Ganze Antwort</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="117"/>
        <source>Experts the router picked for the newest token, with their gate weights</source>
        <translation>Die Experten, die der Router für das neueste Token gewählt hat, mit ihren Gewichten</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="120"/>
        <source>Share of the routing weight each expert received over the answer so far</source>
        <translation>Anteil am Routing-Gewicht, den jeder Experte bisher in dieser Antwort erhalten hat</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="129"/>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="175"/>
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
        <location filename="../../app/ui/experts_pane.py" line="189"/>
        <source>Active now: {active} of {total} parameters ({share})</source>
        <translation>Jetzt aktiv: {active} von {total} Parametern ({share})</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="197"/>
        <source>For every token the router picks {k} of {n} experts in each of the {layers} MoE layers.</source>
        <translation>Für jedes Token wählt der Router in jeder der {layers} MoE-Schichten {k} von {n} Experten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="203"/>
        <source>Plus 1 shared expert per layer that works on every token (always on, not shown).</source>
        <translation>Dazu kommt je Schicht 1 gemeinsamer Experte, der an jedem Token arbeitet (immer aktiv, nicht dargestellt).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="208"/>
        <source>Plus {count} shared experts per layer that work on every token (always on, not shown).</source>
        <translation>Dazu kommen je Schicht {count} gemeinsame Experten, die an jedem Token arbeiten (immer aktiv, nicht dargestellt).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="212"/>
        <source>The first layer has no experts (dense).</source>
        <translation>Die erste Schicht hat keine Experten (dicht).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="215"/>
        <source>The first {count} layers have no experts (dense).</source>
        <translation>Die ersten {count} Schichten haben keine Experten (dicht).</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="222"/>
        <source>Demo model with random weights: its text is gibberish, the routing mechanics are real.</source>
        <translation>Demo-Modell mit Zufallsgewichten: Sein Text ist Kauderwelsch, die Routing-Mechanik ist echt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="303"/>
        <source>This token has no visible text of its own, for example part of a character made of several tokens.</source>
        <translation>Dieses Token hat keinen eigenen sichtbaren Text, zum Beispiel weil es Teil eines Zeichens aus mehreren Tokens ist.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="308"/>
        <source>Prompt token {pos}</source>
        <translation>Eingabe-Token {pos}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="310"/>
        <source>Answer token {pos}</source>
        <translation>Antwort-Token {pos}</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="317"/>
        <source>Gate weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="320"/>
        <source>Coloured cells: the experts the router chose for this token. The number is the expert’s gate weight — how much its result counts. Grey: not chosen.</source>
        <translation>Farbige Felder: die Experten, die der Router für dieses Token gewählt hat. Die Zahl ist das Gewicht des Experten — wie stark sein Ergebnis zählt. Grau: nicht gewählt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="329"/>
        <source>Share of weight</source>
        <translation>Gewichtsanteil</translation>
    </message>
    <message>
        <location filename="../../app/ui/experts_pane.py" line="333"/>
        <source>Over the {count} answer tokens so far: the share of each layer’s routing weight that went to each expert. Grey: never chosen.</source>
        <translation>Über die bisherigen {count} Antwort-Tokens: der Anteil am Routing-Gewicht jeder Schicht, der an jeden Experten ging. Grau: nie gewählt.</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <location filename="../../app/ui/formatting.py" line="15"/>
        <source>B</source>
        <comment>billion</comment>
        <translation>Mrd.</translation>
    </message>
    <message>
        <location filename="../../app/ui/formatting.py" line="16"/>
        <source>M</source>
        <comment>million</comment>
        <translation>Mio.</translation>
    </message>
    <message>
        <location filename="../../app/ui/formatting.py" line="17"/>
        <source>K</source>
        <comment>thousand</comment>
        <translation>Tsd.</translation>
    </message>
</context>
<context>
    <name>LibraryJobs</name>
    <message>
        <location filename="../../app/ui/library_jobs.py" line="90"/>
        <source>The file could not be read: {reason}</source>
        <translation>Die Datei konnte nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_jobs.py" line="95"/>
        <source>A file named “{name}” is already in the models folder.</source>
        <translation>Im Modellordner gibt es bereits eine Datei namens „{name}“.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_jobs.py" line="109"/>
        <source>The file could not be copied: {reason}</source>
        <translation>Die Datei konnte nicht kopiert werden: {reason}</translation>
    </message>
</context>
<context>
    <name>LibraryPane</name>
    <message>
        <location filename="../../app/ui/library_pane.py" line="198"/>
        <source>Models folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="216"/>
        <source>No models yet. Click “Import GGUF file…” to add a model file (.gguf) from this computer.</source>
        <translation>Noch keine Modelle. Klicken Sie auf „GGUF-Datei importieren…“, um eine Modelldatei (.gguf) von diesem Computer hinzuzufügen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="233"/>
        <source>Import GGUF file…</source>
        <translation>GGUF-Datei importieren…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="235"/>
        <source>Copy a model file (.gguf) from this computer into the models folder</source>
        <translation>Eine Modelldatei (.gguf) von diesem Computer in den Modellordner kopieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="240"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="241"/>
        <source>Read the models folder again</source>
        <translation>Den Modellordner neu einlesen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="243"/>
        <source>Load</source>
        <translation>Laden</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="245"/>
        <source>Load the selected model so you can chat with it</source>
        <translation>Das ausgewählte Modell laden, um damit zu chatten</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="284"/>
        <source>Checking and copying “{name}”…</source>
        <translation>„{name}“ wird geprüft und kopiert…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="308"/>
        <source>Loading “{name}” again…</source>
        <translation>„{name}“ wird erneut geladen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="308"/>
        <source>Loading “{name}”…</source>
        <translation>„{name}“ wird geladen…</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="316"/>
        <source>“{name}” is ready (loaded in {seconds} s).</source>
        <translation>„{name}“ ist bereit (geladen in {seconds} s).</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="330"/>
        <source>“{name}” could not be loaded: {message}</source>
        <translation>„{name}“ konnte nicht geladen werden: {message}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="346"/>
        <source>Import a GGUF model file</source>
        <translation>GGUF-Modelldatei importieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="346"/>
        <source>GGUF model files (*.gguf)</source>
        <translation>GGUF-Modelldateien (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="376"/>
        <source>“{name}” was added to the library.</source>
        <translation>„{name}“ wurde zur Bibliothek hinzugefügt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="386"/>
        <source>This file cannot be imported</source>
        <translation>Diese Datei kann nicht importiert werden</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="391"/>
        <source>Nothing was copied into the models folder.</source>
        <translation>Es wurde nichts in den Modellordner kopiert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="402"/>
        <source>Reading the models folder…</source>
        <translation>Der Modellordner wird gelesen…</translation>
    </message>
</context>
<context>
    <name>LocalityIndicator</name>
    <message>
        <location filename="../../app/ui/locality.py" line="121"/>
        <source>the model file</source>
        <translation>die Modelldatei</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="122"/>
        <source>the search results</source>
        <translation>die Suchergebnisse</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="130"/>
        <source>Download from {host} — only {what} is received</source>
        <translation>Download von {host} — nur {what} wird empfangen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="134"/>
        <source>Offline mode — network blocked</source>
        <translation>Offline-Modus — Netzwerk gesperrt</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="136"/>
        <source>Warning: unexpected connection to {host}</source>
        <translation>Warnung: unerwartete Verbindung zu {host}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="139"/>
        <source>Local — nothing leaves this computer</source>
        <translation>Lokal — keine Daten verlassen diesen Computer</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="145"/>
        <source>MoEscope is receiving {what} from {host}, as you asked. Nothing you type is sent; no other computer can be reached meanwhile.</source>
        <translation>MoEscope empfängt {what} von {host}, wie von Ihnen veranlasst. Nichts, was Sie eingeben, wird gesendet; kein anderer Computer ist währenddessen erreichbar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="151"/>
        <source>Offline mode is on: MoEscope opens no connection to another computer, not even for downloads or searches.</source>
        <translation>Der Offline-Modus ist an: MoEscope öffnet keine Verbindung zu einem anderen Computer, auch nicht für Downloads oder Suchen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="158"/>
        <source>A connection to {host} was seen open although MoEscope did not allow it. It was logged.</source>
        <translation>Eine Verbindung zu {host} war offen, obwohl MoEscope sie nicht erlaubt hat. Sie wurde protokolliert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="162"/>
        <source>Something in MoEscope tried to connect to {host}. It was blocked before anything was sent, and logged.</source>
        <translation>Ein Teil von MoEscope hat versucht, sich mit {host} zu verbinden. Das wurde blockiert, bevor etwas gesendet wurde, und protokolliert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="167"/>
        <source>The model runs in a separate process on this computer. MoEscope sends nothing you type over the network.</source>
        <translation>Das Modell läuft in einem eigenen Prozess auf diesem Computer. MoEscope sendet nichts, was Sie eingeben, über das Netzwerk.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="254"/>
        <source>Model file: {path}</source>
        <translation>Modelldatei: {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="256"/>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="258"/>
        <source>Click to see the details and acknowledge the warning.</source>
        <translation>Klicken Sie hier, um die Einzelheiten zu sehen und die Warnung zu bestätigen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality.py" line="260"/>
        <source>Click to see where your data is stored, the connection log and the offline switch.</source>
        <translation>Klicken Sie hier für die Speicherorte Ihrer Daten, das Verbindungsprotokoll und den Offline-Schalter.</translation>
    </message>
</context>
<context>
    <name>LocalityPanel</name>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="202"/>
        <source>Data locality — MoEscope</source>
        <translation>Datenverbleib — MoEscope</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="238"/>
        <source>Offline mode: refuse every connection to another computer, even downloads and searches</source>
        <translation>Offline-Modus: jede Verbindung zu einem anderen Computer ablehnen, auch Downloads und Suchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="240"/>
        <source>Kept for the next start. Models already in the library keep working; nothing can be downloaded while it is on.</source>
        <translation>Gilt auch beim nächsten Start. Modelle in der Bibliothek funktionieren weiter; solange er an ist, kann nichts heruntergeladen werden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="263"/>
        <source>Acknowledge warning</source>
        <translation>Warnung bestätigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="264"/>
        <source>You have seen the warning: the indicator goes back to the current state. The entry stays in the log.</source>
        <translation>Sie haben die Warnung gesehen: Die Anzeige zeigt wieder den aktuellen Zustand. Der Eintrag bleibt im Protokoll.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="274"/>
        <source>Where your data is stored (all on this computer)</source>
        <translation>Wo Ihre Daten liegen (alles auf diesem Computer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="280"/>
        <source>Not saved: kept in memory while the window is open</source>
        <translation>Nicht gespeichert: nur im Arbeitsspeicher, solange das Fenster offen ist</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="286"/>
        <source>Models:</source>
        <translation>Modelle:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="287"/>
        <source>Conversations:</source>
        <translation>Unterhaltungen:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="288"/>
        <source>Settings:</source>
        <translation>Einstellungen:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="289"/>
        <source>Application data:</source>
        <translation>Programmdaten:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="290"/>
        <source>Connection logs:</source>
        <translation>Verbindungsprotokolle:</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="301"/>
        <source>The connection log could not be written to disk ({error}); it is kept in memory for this session.</source>
        <translation>Das Verbindungsprotokoll konnte nicht gespeichert werden ({error}); es wird für diese Sitzung im Arbeitsspeicher gehalten.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="310"/>
        <source>Connections of this session</source>
        <translation>Verbindungen dieser Sitzung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="311"/>
        <source>Nothing yet: no connection, no attempt and no listening socket has been seen in this session.</source>
        <translation>Noch nichts: In dieser Sitzung gab es keine Verbindung, keinen Verbindungsversuch und keinen offenen Port.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="322"/>
        <location filename="../../app/ui/locality_panel.py" line="333"/>
        <source>Earlier sessions</source>
        <translation>Frühere Sitzungen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="325"/>
        <source>Connections of the chosen session</source>
        <translation>Verbindungen der gewählten Sitzung</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="350"/>
        <source>Export evidence report…</source>
        <translation>Nachweis exportieren …</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="351"/>
        <source>A one-page HTML report for your records or your security officer: version, network policy, storage and this session&apos;s log.</source>
        <translation>Ein einseitiger HTML-Bericht für Ihre Unterlagen oder Ihre IT-Sicherheit: Version, Netzwerkregel, Speicherorte und das Protokoll dieser Sitzung.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="377"/>
        <source>Rule: connections only within this computer. Downloads and searches are refused. No telemetry, no update checks.</source>
        <translation>Regel: Verbindungen nur innerhalb dieses Computers. Downloads und Suchen werden abgelehnt. Keine Telemetrie, keine Update-Prüfung.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="381"/>
        <source>Rule: connections only within this computer, except to the host of a download or search you start, while it runs. No telemetry, no update checks.</source>
        <translation>Regel: Verbindungen nur innerhalb dieses Computers, außer zum Server eines Downloads oder einer Suche, die Sie starten, solange sie läuft. Keine Telemetrie, keine Update-Prüfung.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="389"/>
        <source>{time} · {process} · {where}
{detail}</source>
        <translation>{time} · {process} · {where}
{detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="412"/>
        <source>This session ({count})</source>
        <translation>Diese Sitzung ({count})</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="423"/>
        <source>Reading…</source>
        <translation>Wird gelesen …</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="432"/>
        <source>No earlier sessions are kept.</source>
        <translation>Es sind keine früheren Sitzungen gespeichert.</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="441"/>
        <source>{count} for downloads or searches you started</source>
        <translation>{count} für von Ihnen gestartete Downloads oder Suchen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="443"/>
        <source>{count} blocked or unexpected</source>
        <translation>{count} blockiert oder unerwartet</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="444"/>
        <source>nothing left this computer</source>
        <translation>nichts hat den Computer verlassen</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="446"/>
        <source>{when} — {entries} entries, {summary}</source>
        <translation>{when} — {entries} Einträge, {summary}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="459"/>
        <source>Export evidence report</source>
        <translation>Nachweis exportieren</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="460"/>
        <source>Web page (*.html)</source>
        <translation>Webseite (*.html)</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="470"/>
        <source>Writing the report…</source>
        <translation>Der Bericht wird geschrieben …</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="488"/>
        <source>Report saved: {path}</source>
        <translation>Bericht gespeichert: {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/locality_panel.py" line="492"/>
        <source>The report could not be saved: {reason}</source>
        <translation>Der Bericht konnte nicht gespeichert werden: {reason}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="73"/>
        <source>Model library</source>
        <translation>Modellbibliothek</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="74"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="75"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="125"/>
        <location filename="../../app/ui/main_window.py" line="192"/>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="134"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="135"/>
        <source>&amp;Reset layout</source>
        <translation>Anordnung &amp;zurücksetzen</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="195"/>
        <source>Model: {name}</source>
        <translation>Modell: {name}</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="213"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} Tokens/s</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="263"/>
        <source>no answer: an error occurred</source>
        <translation>keine Antwort: ein Fehler ist aufgetreten</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="269"/>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="271"/>
        <source>Starting a fresh engine…</source>
        <translation>Eine neue Engine wird gestartet…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="280"/>
        <source>A fresh engine was started.</source>
        <translation>Eine neue Engine wurde gestartet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="282"/>
        <source>The model is being loaded again; you can go on in a moment.</source>
        <translation>Das Modell wird erneut geladen; gleich können Sie weitermachen.</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <location filename="../../app/ui/library_pane.py" line="65"/>
        <source>Loaded</source>
        <translation>Geladen</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="70"/>
        <source>Cannot be used: {reason}</source>
        <translation>Nicht verwendbar: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="74"/>
        <source>MoE</source>
        <translation>MoE</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="74"/>
        <source>Dense</source>
        <translation>Dicht</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="77"/>
        <source>Mixture of Experts: only some experts work on each token</source>
        <translation>Mixture of Experts: An jedem Token arbeiten nur einige Experten</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="79"/>
        <source>Dense: every parameter works on every token</source>
        <translation>Dicht: Jeder Parameter arbeitet an jedem Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="84"/>
        <source>{total} total · {active} active</source>
        <translation>{total} gesamt · {active} aktiv</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="88"/>
        <source>{n} experts, {k} per token</source>
        <translation>{n} Experten, {k} pro Token</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="90"/>
        <source> + {count} shared</source>
        <translation> + {count} gemeinsame</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="94"/>
        <source>{total} parameters, all active</source>
        <translation>{total} Parameter, alle aktiv</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="103"/>
        <source>Demo: random weights — shows routing mechanics only</source>
        <translation>Demo: Zufallsgewichte — zeigt nur die Routing-Mechanik</translation>
    </message>
    <message>
        <location filename="../../app/ui/library_pane.py" line="105"/>
        <source>Real text model</source>
        <translation>Echtes Textmodell</translation>
    </message>
</context>
</TS>
