"""History from other trackers: Toggl Track and Clockify.

A person brings their past time here once: a "Detailed report" CSV export of either, or
their entries read from Toggl's Reports API with their Toggl API token. Each format is one
small module: where its export puts each thing (`toggl_csv`, `clockify_csv`, read by
`detailed_report`), or how Toggl's API is asked (`toggl_api`). They give ImportedEntry
values; `importing` previews and stores them, each entry once.
"""
