"""The foundation every layer stands on, with no models of its own: settings
(config), cache keys and the page cache, purges and the effects that run
after a commit, queues, rate limits, roles, dates, folder scans, atomic file
storage, the memory rules of rendering processes and log formats."""
