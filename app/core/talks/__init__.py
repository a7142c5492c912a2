"""What a speaker needs to present an answer's routing: a token timeline to select in and replay
(timeline), and the numbers to say out loud (figures). No Qt here."""
