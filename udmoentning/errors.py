"""The 500 page. Django's own handler renders 500.html without a request, which the
site's layout needs; this one renders it with the request, and when even that fails
(the database is down, say) it answers a plain Danish page instead."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render

logger = logging.getLogger(__name__)

PLAIN = (
    '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Der skete en fejl'
    "</title></head><body><main><h1>Der skete en fejl</h1><p>Siden kunne ikke vises på grund "
    'af en fejl hos os. Prøv igen om lidt.</p><p><a href="/">Tilbage til forsiden</a></p>'
    "</main></body></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the layout itself failed: say it plainly
        logger.exception("500.html kunne ikke vises")
        return HttpResponseServerError(PLAIN)
