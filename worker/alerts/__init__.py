"""Who hears what: matching products to cases, routing events to subscribers, reminders, digests."""
