"""The Hugging Face Hub: access and errors, download requests, the transfer and its queue, the sidecar files
beside a model, search, the token store."""
