"""Projects: what time is spent on, named across every source by one ordered set of rules.

- `patterns`: a rule's pattern compiled safely (a linear-time engine, bounded input);
- `rules`: the rules that apply to one person's time, in order, and the project of a piece;
- `store`: projects and rules read and written as the caller (RLS decides);
- `activitywatch_categories`: ActivityWatch's own category rules, imported as projects;
- `preview`: what a draft rule would match in the last days.

Rules are applied when time is read (timetracker.reports.person_time), so changing one
changes past reports at the next read and no event is rewritten.
"""
