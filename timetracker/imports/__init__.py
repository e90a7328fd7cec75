"""History from other trackers: Toggl Track and Clockify.

A person brings their past time here once: a "Detailed report" CSV export of either, or
their entries read from Toggl's Reports API with their Toggl API token. Each format is one
small module that turns its input into ImportedEntry values (`entries`); `importing` previews
and stores them, each entry once (`store`).
"""
