"""Accounts and sign-in (core/users.py, views/signin.py, python -m core users)."""

MESSAGES = {
    # refusals
    "users.bad_id": (
        "用户名“{user_id}”无效:须为 2–32 个小写字母、数字或 . _ -,以字母或数字开头。",
        "User id “{user_id}” is invalid: 2–32 lower-case letters, digits or . _ -, "
        "starting with a letter or digit.",
    ),
    "users.bad_role": (
        "角色“{role}”无效,可选:{roles}。",
        "Role “{role}” is invalid; one of: {roles}.",
    ),
    "users.name_required": ("请填写显示名称。", "A display name is required."),
    "users.needs_password": (
        "没有密码的账号须填写电子邮箱(统一身份认证登录用)。",
        "An account without a password needs an email (for single sign-on).",
    ),
    "users.short_password": ("密码至少 {n} 个字符。", "A password needs at least {n} characters."),
    "users.unknown_dept": ("部门代码“{dept}”不存在。", "Department code “{dept}” does not exist."),
    "users.unknown_inspector": (
        "检查人员“{inspector}”不在检查人员名录库中。",
        "Inspector “{inspector}” is not in the inspector registry.",
    ),
    "users.inspector_dept": (
        "检查人员“{inspector}”属于部门 {dept},不是 {given}。",
        "Inspector “{inspector}” belongs to department {dept}, not {given}.",
    ),
    "users.exists": ("用户名“{user_id}”已存在。", "User id “{user_id}” already exists."),
    "users.email_taken": (
        "电子邮箱“{email}”已被其他账号使用。",
        "Email “{email}” is already used by another account.",
    ),
    "users.password_mismatch": ("两次输入的密码不一致。", "The two passwords differ."),
    "users.unknown": ("没有用户名为“{user_id}”的账号。", "No account with user id “{user_id}”."),
    "auth.failed": ("用户名或密码错误。", "Wrong user id or password."),
    "auth.locked": (
        "密码错误次数过多,账号已锁定,请 {minutes} 分钟后再试。",
        "Too many wrong passwords: the account is locked. Try again in {minutes} minutes.",
    ),
    "auth.oidc_unknown": (
        "统一身份认证账号“{email}”尚未开通本系统账号,请联系计划管理员。",
        "The single-sign-on identity “{email}” has no account here; ask a plan administrator.",
    ),
    # the sign-in page and the sidebar
    "nav.signin": ("登录", "Sign in"),
    "signin.title": ("登录", "Sign in"),
    "signin.caption": (
        "内部页面需要登录。公示查询、抽取验证和关于页面无需登录。",
        "Internal pages need signing in. Public notices, Verify and About do not.",
    ),
    "signin.user_id": ("用户名", "User id"),
    "signin.password": ("密码", "Password"),
    "signin.submit": ("登录", "Sign in"),
    "signin.oidc": ("统一身份认证登录", "Sign in with single sign-on"),
    "signin.demo_banner": (
        "演示数据:本数据集为合成的演示数据,以下演示账号及密码公开,仅供体验。",
        "Demo data: this dataset is synthetic; the demo accounts and passwords below are public, "
        "for trying the app only.",
    ),
    "signin.col.user_id": ("用户名", "User id"),
    "signin.col.password": ("密码", "Password"),
    "signin.col.role": ("角色", "Role"),
    "signin.no_accounts": (
        "此数据库尚无账号。请由管理员在命令行运行:`python -m core users add`",
        "This database has no accounts yet. An administrator creates one on the command line: "
        "`python -m core users add`",
    ),
    "signin.welcome": ("登录成功。", "Signed in."),
    "nav.group.account": ("账号", "Account"),
    "app.signed_in_as": ("当前用户:{name}({role})", "Signed in: {name} ({role})"),
    "app.not_signed_in": ("未登录(社会公众)", "Not signed in (the public)"),
    "app.signout": ("退出登录", "Sign out"),
    "app.signed_out": ("已退出登录。", "You have signed out."),
}
