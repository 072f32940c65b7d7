"""The portal shell: layout, navigation by role, language switch, vendored assets, no inline script."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
ASSET_TAG = re.compile(r"<(?:link|script)\b[^>]*>", re.IGNORECASE)
ASSET_URL = re.compile(r"""\b(?:href|src)="([^"]*)\"""")


def _nav(html: str) -> str:
    """The header after the brand: the user's menu, the language switch and the main navigation."""
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    return header.split('class="navbar-brand', 1)[1].split("</a>", 1)[1]


def _pages(client, people):
    """The shell's own pages, anonymous and signed in, plus the lockout page."""
    pages = {url: client.get(url) for url in ("/", "/accounts/login/")}
    client.force_login(people.admin)
    for url in ("/", "/accounts/profile/", "/accounts/password-change/", "/accounts/password-change/done/"):
        pages[f"admin {url}"] = client.get(url)
    return pages


def test_layout_shows_the_users_name_organisation_and_role(client, people):
    client.force_login(people.supervisor_a)
    html = client.get("/").content.decode()
    nav = _nav(html)
    assert people.supervisor_a.full_name in nav
    assert "甲县工信和科技局" in nav
    assert "归口管理单位" in nav


def test_navigation_for_a_user_with_a_role(client, people):
    client.force_login(people.staff_a)
    nav = _nav(client.get("/").content.decode())
    assert f'href="{reverse("workspace")}"' in nav and "我的待办" in nav
    assert f'href="{reverse("bases:list")}"' in nav and "中试基地" in nav
    assert f'href="{reverse("accounts:password_change")}"' in nav
    assert "系统管理" not in nav and reverse("admin:index") not in nav
    assert "登录</a>" not in nav


def test_system_administration_link_only_for_staff(client, people):
    client.force_login(people.admin)
    nav = _nav(client.get("/").content.decode())
    assert f'href="{reverse("admin:index")}"' in nav and "系统管理" in nav

    client.force_login(people.bureau)
    nav = _nav(client.get("/").content.decode())
    assert reverse("admin:index") not in nav


def test_anonymous_visitors_get_a_login_link_and_no_work_navigation(client):
    nav = _nav(client.get("/").content.decode())
    assert f'href="{reverse("accounts:login")}"' in nav and "登录" in nav
    assert "我的待办" not in nav and "中试基地" not in nav and "退出" not in nav


def test_logout_in_the_layout_is_a_post_form_with_csrf(client, people):
    client.force_login(people.staff_a)
    nav = _nav(client.get("/").content.decode())
    form = re.search(r'<form method="post" action="/accounts/logout/">(.*?)</form>', nav, re.DOTALL)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert "退出" in form.group(1)


def test_unread_notifications_badge(client, people):
    from portal.notifications.models import Notification

    Notification.objects.create(recipient=people.staff_a, title="测试通知")
    Notification.objects.create(recipient=people.staff_b, title="别人的通知")
    client.force_login(people.staff_a)
    nav = _nav(client.get("/").content.decode())
    assert re.search(r'<span class="badge[^"]*">1</span>', nav)
    assert "1 条未读" in nav


def test_the_unread_badge_stops_counting_at_99(client, people):
    """A bureau account hears of every base: the header counts at most 100 unread rows and says 99+."""
    from portal.notifications.models import Notification

    Notification.objects.bulk_create(
        Notification(recipient=people.staff_a, title=f"通知{i}") for i in range(101)
    )
    client.force_login(people.staff_a)
    with CaptureQueriesContext(connection) as queries:
        nav = _nav(client.get("/").content.decode())
    assert re.search(r'<span class="badge[^"]*">99\+</span>', nav) and "99+ 条未读" in nav
    counts = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert counts and all("LIMIT 100" in sql for sql in counts), counts


def test_language_switch_form_posts_to_set_language_with_csrf(client):
    html = client.get("/").content.decode()
    form = re.search(r'<form[^>]*method="post" action="/i18n/setlang/">(.*?)</form>', html, re.DOTALL)
    assert form is not None
    body = form.group(1)
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'name="next" value="/"' in body
    assert 'name="language" value="zh-hans"' in body and "简体中文" in body
    assert 'name="language" value="en"' in body and "English" in body


def test_html_lang_follows_the_active_language(client):
    assert '<html lang="zh-CN">' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


def test_layout_has_skip_link_title_description_and_footer(client):
    html = client.get("/").content.decode()
    assert '<a class="visually-hidden-focusable portal-skip-link" href="#main-content">' in html
    assert 'id="main-content"' in html
    assert "<title>首页 — 忻州市中试基地管理平台</title>" in html
    assert '<meta name="description" content="' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "忻州市科学技术局 · 依据《市中试基地建设与运行管理办法》（忻科规〔2024〕2号）" in html
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)">', html)
    assert csrf and len(csrf.group(1)) >= 32


def test_no_inline_script_handler_or_style_in_the_shell_pages(client, people):
    for name, response in _pages(client, people).items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "<script" in html, name
        assert not INLINE_SCRIPT.search(html), f"inline <script> in {name}"
        assert not EVENT_HANDLER_ATTRIBUTE.search(html), f"on…= handler in {name}"
        assert not STYLE_ATTRIBUTE.search(html), f"style= attribute in {name}"


def test_assets_are_vendored_and_served_locally(client, people):
    for name, response in _pages(client, people).items():
        html = response.content.decode()
        tags = ASSET_TAG.findall(html)
        urls = [url for tag in tags for url in ASSET_URL.findall(tag)]
        assert urls, name
        for url in urls:
            assert url.startswith("/static/"), f"{url} in {name}"
            assert "http://" not in url and "https://" not in url and not url.startswith("//")
        assert "/static/vendor/bootstrap/css/bootstrap.min.css" in urls
        assert "/static/vendor/bootstrap/js/bootstrap.bundle.min.js" in urls
        assert "/static/vendor/htmx/htmx.min.js" in urls
        assert "/static/js/portal.js" in urls
        assert "/static/css/portal.css" in urls
    for path in (
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/css/bootstrap.min.css.map",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/bootstrap/js/bootstrap.bundle.min.js.map",
        "vendor/htmx/htmx.min.js",
        "js/portal.js",
        "css/portal.css",
    ):
        assert finders.find(path), path


def test_lockout_page_uses_the_layout_without_inline_script(rf):
    from datetime import timedelta

    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/accounts/login/")
    request.user = AnonymousUser()
    html = render_to_string(
        "registration/lockout.html",
        {"failure_limit": 5, "username": "x", "cooloff_timedelta": timedelta(minutes=90)},
        request=request,
    )
    assert "请 1 小时 30 分钟后再试或联系系统管理员。" in html
    assert not INLINE_SCRIPT.search(html)


def test_messages_are_dismissible_alerts(client, people):
    client.force_login(people.staff_a)
    response = client.post("/accounts/logout/", follow=True)
    html = response.content.decode()
    alert = re.search(
        r'<div class="alert alert-info alert-dismissible fade show" role="alert">(.*?)</div>', html, re.S
    )
    assert alert is not None
    assert "您已安全退出平台。" in alert.group(1)
    assert 'data-bs-dismiss="alert"' in alert.group(1) and 'aria-label="关闭"' in alert.group(1)


def test_pagination_keeps_the_query_string_and_shows_the_count():
    request = RequestFactory().get("/bases/", {"q": "新材料", "page": "2", "sort": "name"})
    page = Paginator(list(range(45)), 10).page(2)
    html = render_to_string("layout/_pagination.html", {"page_obj": page}, request=request)
    assert "第 2 / 5 页，共 45 条" in html
    assert '<nav aria-label="分页导航">' in html
    assert 'href="?q=%E6%96%B0%E6%9D%90%E6%96%99&amp;page=3&amp;sort=name"' in html
    assert 'href="?q=%E6%96%B0%E6%9D%90%E6%96%99&amp;page=1&amp;sort=name"' in html
    assert 'aria-current="page"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_pagination_of_a_single_page_shows_only_the_count():
    request = RequestFactory().get("/bases/")
    page = Paginator([1, 2, 3], 10).page(1)
    html = render_to_string("layout/_pagination.html", {"page_obj": page}, request=request)
    assert "第 1 / 1 页，共 3 条" in html
    assert "<nav" not in html


def test_empty_state_partial():
    html = render_to_string(
        "layout/_empty.html", {"message": "暂无待办事项。", "hint": "新的事项会出现在这里。"}
    )
    assert "暂无待办事项。" in html and "新的事项会出现在这里。" in html
    assert "暂无数据。" in render_to_string("layout/_empty.html", {})


def test_the_language_switch_and_the_users_menu_stay_outside_the_folding_navigation(client, people):
    """The header's top row (brand, notifications, user's menu, language switch) never folds; only the
    main navigation does, into a menu button below 1200 px (English labels overflowed a single row)."""
    client.force_login(people.bureau)
    header = client.get("/").content.decode().split("<header", 1)[1].split("</header>", 1)[0]
    top, navigation = header.split('<nav class="navbar navbar-expand-xl portal-navbar"', 1)
    assert "portal-language-form" in top and "accounts/logout/" in top and "通知" in top
    assert 'id="portal-nav"' in navigation and 'class="collapse navbar-collapse"' in navigation
    assert "portal-language-form" not in navigation
    assert 'data-bs-target="#portal-nav"' in navigation and "菜单" in navigation
