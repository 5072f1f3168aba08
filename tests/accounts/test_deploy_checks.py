"""`check --deploy` warns when each worker process would keep its own cache: a write would leave
the other workers serving old dashboards, and the reset throttle would count per worker."""

from django.core.checks import run_checks
from django.test import override_settings

from tests.accounts.test_security_headers import _manage, _production_env

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


def deploy_warnings() -> list:
    return [
        message
        for message in run_checks(include_deployment_checks=True)
        if message.id == "accounts.W001"
    ]


@override_settings(DEBUG=False, CACHES=LOCMEM, DASHBOARD_CACHE_SECONDS=600)
def test_a_per_process_cache_in_production_is_warned_about_with_what_to_set():
    (warning,) = deploy_warnings()
    assert warning.is_serious() is False and warning.level == 30  # a WARNING
    assert "a write leaves the other workers serving old dashboards for up to 10 minutes" in (
        warning.msg
    )
    assert "Set REDIS_URL" in warning.hint


@override_settings(DEBUG=False, CACHES=REDIS)
def test_a_shared_cache_passes():
    assert deploy_warnings() == []


@override_settings(DEBUG=True, CACHES=LOCMEM)
def test_a_local_run_with_debug_on_is_left_alone():
    assert deploy_warnings() == []


@override_settings(DEBUG=False, CACHES=LOCMEM)
def test_the_check_is_for_deploys_only():
    assert [m for m in run_checks() if m.id == "accounts.W001"] == []


def test_a_single_worker_deployment_can_silence_it_from_the_environment(tmp_path):
    env = _production_env(tmp_path, SILENCED_SYSTEM_CHECKS="accounts.W001")
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
