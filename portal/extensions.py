"""The extension objects, created unbound and initialised in `create_app`."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# No default limits: only sign-in and code entry are throttled (portal.auth).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
