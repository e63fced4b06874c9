"""The main window and its action groups, and the case picker."""
