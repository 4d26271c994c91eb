"""Messages of the write path (core/writes.py) and of refusals shared by every area."""

MESSAGES = {
    "write.busy": (
        "其他用户正在保存,请稍后再试;本次未做任何更改。",
        "Another user is saving; please try again shortly. Nothing was changed.",
    ),
    "write.conflict": (
        "保存与其他用户的更改冲突,本次未做任何更改,请重试。",
        "This save conflicted with another user's change; nothing was changed. Please retry.",
    ),
    "write.failed": (
        "无法写入数据库:{error}。本次未做任何更改。",
        "The database could not be written: {error}. Nothing was changed.",
    ),
}
