"""The Qt-free core of MoEscope: model files, the engine process and the expert tap."""
