"""The laid-out pages of an HTML document, to compare two ways of rendering it."""

from plans.pdf import base_url


def layout(html_class: type, html: str) -> list[tuple[object, ...]]:
    """Every box of every page: its type, position, size and text."""
    document = html_class(string=html, base_url=base_url()).render()
    boxes: list[tuple[object, ...]] = []

    def walk(box: object, page: int) -> None:
        boxes.append(
            (
                page,
                type(box).__name__,
                *(round(getattr(box, name), 3) for name in ("position_x", "position_y")),
                *(round(getattr(box, name), 3) for name in ("width", "height")),
                getattr(box, "text", None),
            )
        )
        for child in box.all_children():
            walk(child, page)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number)
    return boxes
