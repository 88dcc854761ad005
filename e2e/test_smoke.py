def test_home_page_loads_without_console_errors(page, site_at_live_server):
    response = page.goto("/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Dear PurseBop"
    assert page.title() == "Home · Dear PurseBop"  # apart from the column of that name
    # Stylesheet applied (served by the live server): the header has its accent colour.
    header_colour = page.locator(".site-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert header_colour == "rgb(122, 46, 58)"
    assert page.console.errors == []
