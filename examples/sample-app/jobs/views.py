"""Endpoints the worker tier's sqsd daemon POSTs to: 200 deletes the message, anything else retries."""
import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def task(request):
    payload = json.loads(request.body or b"{}")
    log.info("task %s", payload.get("name"))
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def refresh_cache(request):
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def nightly_report(request):
    return HttpResponse(status=200)
