"""The extension objects, created unbound and initialised in `create_app`."""
import flask_babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.utils import cached_property

from portal.i18n import RegisterDomain


class Babel(flask_babel.Babel):
    """Flask-Babel, whose domain speaks in the reader's register (`portal.i18n.RegisterDomain`)."""

    @cached_property
    def domain_instance(self) -> RegisterDomain:
        return RegisterDomain(domain=self.domain)


babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# No default limits: only sign-in and code entry are throttled (portal.auth).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
