"""Listener: a desktop listening workstation for one strategist."""

APP_NAME = "Listener"
APP_ID = "listener"
__version__ = "0.1.0"
