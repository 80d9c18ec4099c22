"""The management interface: one small view class per screen, registered by name."""
