"""The engine process and everything that talks to it: protocol, host, client, llama.cpp driver, routing tap, compatibility mode, synchronous session."""
