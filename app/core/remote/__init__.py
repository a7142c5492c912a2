"""A company inference server (SGLang, vLLM or any OpenAI-compatible one) in place of the local engine.

``RemoteClient`` has the interface of ``app.core.engine.client.EngineClient`` and sends the same protocol
events, so the worker, the panes and ``moescope trace`` use a server as they use the engine process.
Profiles (base URL, model, flavour, TLS, the model's config.json) are kept in the data folder, API keys in
the keyring only. docs/company-server.md says what is sent where, per flavour.
"""
