"""Domain errors and the error pages every user sees in their own language."""
from __future__ import annotations

import contextlib
import logging
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, SecurityError

from app.extensions import db, login_manager

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain was broken; the message is shown to the user as is."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


MESSAGES = {
    400: _l("Yêu cầu không hợp lệ. Vui lòng quay lại và thử lại."),
    401: _l("Bạn cần đăng nhập để xem trang này."),
    403: _l("Bạn không có quyền xem hoặc thay đổi nội dung này."),
    404: _l("Không tìm thấy trang bạn cần. Có thể đường dẫn đã sai hoặc nội dung đã bị xóa."),
    405: _l("Thao tác này không được hỗ trợ ở trang này."),
    409: _l("Dữ liệu vừa được người khác thay đổi. Vui lòng tải lại trang rồi thử lại."),
    413: _l("Tệp tải lên quá lớn (tối đa 10 MB)."),
    429: _l("Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại."),
    500: _l("Hệ thống gặp lỗi. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo cho cán bộ xã."),
    503: _l("Hệ thống đang bận hoặc tạm ngừng. Vui lòng thử lại sau ít phút."),
}

TITLES = {
    400: _l("Yêu cầu không hợp lệ"),
    401: _l("Cần đăng nhập"),
    403: _l("Không có quyền"),
    404: _l("Không tìm thấy"),
    405: _l("Không hỗ trợ"),
    409: _l("Dữ liệu đã thay đổi"),
    413: _l("Tệp quá lớn"),
    429: _l("Quá nhiều lần thử"),
    500: _l("Lỗi hệ thống"),
    503: _l("Tạm ngừng phục vụ"),
}


def wants_json() -> bool:
    """Tell whether the client asked for JSON rather than a page."""
    if request.path.endswith(".json") or request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(code: int, message: Any = None) -> tuple[Any, int]:
    """Render the error page (or JSON) for a status code."""
    text = str(message or MESSAGES.get(code, MESSAGES[500]))
    if wants_json():
        return jsonify(error=code, message=text), code
    title = TITLES.get(code, TITLES[500])
    return render_template("errors/error.html", code=code, title=title, message=text), code


# The database is down, unreachable, locked too long or out of connections: a passing outage, not a bug.
DATABASE_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError,
                        sa_exc.TimeoutError)
RETRY_AFTER_SECONDS = 30
RETRIED = "hocvuso.database_retried"  # in the WSGI environ of a request already run again


def _retry_once(error: Exception) -> bool:
    """Tell whether a request that met a dropped database connection may be run again, once."""
    if not (isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated):
        return False
    if request.method not in ("GET", "HEAD") or request.environ.get(RETRIED):
        return False  # a form's write may or may not have been committed when the connection went: the user decides
    request.environ[RETRIED] = True
    return True


def register(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> Response:
        # Raised before URLs can be built (the Host is not in TRUSTED_HOSTS), so no page with links:
        # a short plain answer.
        log.warning("refused a request for an untrusted host: %s", error.description)
        return Response(str(MESSAGES[400]), 400, mimetype="text/plain")

    def database_unavailable(error: Exception) -> Any:
        if _retry_once(error):
            # Pooled connections are not pinged before use (a round trip on every request); a connection the
            # database dropped (a restart, an idle timeout) fails here instead, once: the pool has now thrown
            # away every connection from before, and a page that only reads is simply asked for again.
            log.warning("database connection lost on %s %s; retrying once", request.method, request.path)
            with contextlib.suppress(sa_exc.SQLAlchemyError):
                db.session.rollback()
            try:
                return app.preprocess_request() or app.dispatch_request()
            except DATABASE_UNAVAILABLE as again:
                error = again
            except Exception as other:  # noqa: BLE001  (a 404 or 403 of the retried view is answered as usual)
                return app.handle_user_exception(other)
        log.error("database unavailable on %s %s: %s", request.method, request.path, error)
        with contextlib.suppress(sa_exc.SQLAlchemyError):  # the connection is gone; discarded at teardown
            db.session.rollback()
        # The page is drawn without the database: nobody is looked up for the menu.
        g._login_user = login_manager.anonymous_user()
        response = app.make_response(error_response(503))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    for kind in DATABASE_UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Any, int]:
        log.warning("CSRF check failed on %s: %s", request.path, error.description)
        return error_response(400, _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. "
                                     "Vui lòng tải lại trang và gửi lại."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        response, code = error_response(error.code)
        if error.code == 429 and getattr(error, "retry_after", None):
            response = app.make_response((response, code))
            response.headers["Retry-After"] = str(error.retry_after)  # type: ignore[attr-defined]
            return response
        return response, code


def show_on_form(form: Any, error: DomainError, default_field: str | None = None) -> None:
    """Attach a domain error to the form field it concerns (or the form as a whole)."""
    name = error.field if error.field and hasattr(form, error.field) else default_field
    if name and hasattr(form, name):
        field = getattr(form, name)
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
