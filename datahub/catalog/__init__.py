"""The data-sharing catalog (政务数据资源目录): entries and their information items, grants, the exchange
and the hash-chained access trail. Domains publish their datasets by a declaration (declarations.py)
registered in their AppConfig.ready(), so this package imports no domain."""
