"""The acting users tests write as: one per role (`models.access`)."""

from models.access import Actor, Role

EDITOR = Actor("test editor", Role.editor)
VIEWER = Actor("test viewer", Role.viewer)
ADMIN = Actor("test admin", Role.admin)
