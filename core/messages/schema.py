"""The database file's schema version (core/db.py, core/migrations)."""

MESSAGES = {
    "db.too_new": (
        "此数据库文件由较新版本的随查写入(结构版本 {version},本程序支持到 {supported}),"
        "为免丢失数据不予打开。请升级程序。",
        "This database file was written by a newer Suicha (schema version {version}; this code "
        "supports up to {supported}); it is not opened, so that no data is lost. Upgrade the "
        "code.",
    ),
}
