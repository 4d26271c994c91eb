"""Texts of the usability pass (issue 17): known constants shown in the reader's language,
progress steps of long operations, outcomes kept across the rerun."""

MESSAGES = {
    # the default beacon source (core/sampling/prn.py DEFAULT_BEACON_SOURCE), as read by people
    "beacon.default_source": (
        "深证成指(399001)在信标日的收盘点位,以深圳证券交易所公布为准,保留两位小数",
        "深证成指 (SZSE Component Index, 399001) closing value on the beacon date, as published "
        "by the Shenzhen Stock Exchange, written with two decimals",
    ),
}
