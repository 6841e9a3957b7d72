"""The two channels: e-mail (SMTP, or .eml files in development) and Web Push.

A channel either returns (the message went through), or raises `Temporary`
(try again later: server down, slow, 4xx, push service 429/5xx) or `Permanent`
(refused for good: 5xx for the recipient, push endpoint gone). The error code
they carry is what the caseworker sees; it never holds an address or content.
"""
from __future__ import annotations

import json
import os
import smtplib
import socket
import tempfile
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path

from flask import current_app

from portal.notifications.texts import Content


class DeliveryError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Temporary(DeliveryError):
    """Try again later."""


class Permanent(DeliveryError):
    """Do not try again."""


# --- e-mail -------------------------------------------------------------------------

def message_id(uuid: str) -> str:
    """Stable per message: a re-send after a crash carries the same Message-ID, so it is recognisably the same mail."""
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    return f"<{uuid}@{domain}>"


def build_email(content: Content, to: str, uuid: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = current_app.config["MAIL_FROM"]
    mail["To"] = to
    mail["Subject"] = content.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id(uuid)
    mail["Auto-Submitted"] = "auto-generated"
    if content.unsubscribe_url:
        # RFC 2369 + RFC 8058: one click in the mail program, no sign-in.
        mail["List-Unsubscribe"] = f"<{content.unsubscribe_url}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(content.text())
    mail.add_alternative(content.html(), subtype="html")
    mail["Content-Language"] = content.language  # after the body: set_content replaces Content-* headers
    return mail


def send_email(mail: EmailMessage, uuid: str) -> None:
    config = current_app.config
    if not config["SMTP_HOST"]:
        _write_file(mail, uuid)
        return
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"]) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
            smtp.send_message(mail)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        raise (Permanent("refused") if all(code >= 500 for code in codes) else Temporary("deferred")) from None
    except smtplib.SMTPResponseException as exc:
        raise (Permanent("refused") if exc.smtp_code >= 500 else Temporary("deferred")) from None
    except (TimeoutError, socket.timeout):
        raise Temporary("timeout") from None
    except (smtplib.SMTPException, OSError):
        raise Temporary("unreachable") from None


def _write_file(mail: EmailMessage, uuid: str) -> None:
    """Development: one .eml per message, named by its id, so a re-send replaces it instead of doubling it."""
    folder = Path(current_app.config["MAIL_DIR"] or "")
    if not current_app.config["MAIL_DIR"]:
        raise Temporary("unreachable")
    folder.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(fd, "wb") as file:
        file.write(mail.as_bytes())
    os.replace(partial, folder / f"{uuid}.eml")


# --- Web Push -------------------------------------------------------------------------

def send_push(content: Content, endpoint: str, p256dh: str, auth: str, uuid: str, urgent: bool) -> None:
    """RFC 8030/8291/8292 through pywebpush: aes128gcm payload, VAPID-signed, `Topic` replaces an undelivered copy."""
    from pywebpush import WebPushException, webpush

    config = current_app.config
    if not config["VAPID_PRIVATE_KEY"]:
        raise Permanent("no_keys")
    payload = json.dumps({"title": content.push_title, "body": content.push_body, "url": content.url,
                          "lang": content.language, "dir": content.direction})
    try:
        response = webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=payload, vapid_private_key=config["VAPID_PRIVATE_KEY"],
            vapid_claims={"sub": config["VAPID_SUBJECT"]}, content_encoding="aes128gcm", ttl=24 * 3600,
            headers={"Topic": uuid[:32], "Urgency": "high" if urgent else "normal"},
            timeout=config["PUSH_TIMEOUT"],
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410):
            raise Permanent("gone") from None
        if status is not None and 400 <= status < 500 and status != 429:
            raise Permanent("refused") from None
        raise Temporary("unreachable") from None
    except Exception:  # connection refused, timeout: requests' errors, never with the payload
        raise Temporary("unreachable") from None
    del response
