import json
from pathlib import Path

from django.http import HttpResponse, JsonResponse

# Written into the bundle by eb-deploy (version-file in eb-deploy.yml): label, commit, deployed-at/by.
VERSION_FILE = Path(__file__).with_name("version.json")


def home(request):
    return HttpResponse("<h1>Sample application</h1>")


def health(request):
    version = json.loads(VERSION_FILE.read_text()) if VERSION_FILE.exists() else {}
    return JsonResponse({"status": "ok", "version": version})
