"""The one path for sources that push data: validate a batch item by item, store the good
items as their owner in one transaction, and say per item what happened (`items`, `table`)."""
