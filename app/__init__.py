"""MoEscope: a local chat window that shows which Mixture-of-Experts experts a model uses."""

__version__ = "0.1.0"
