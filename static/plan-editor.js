/* The plan editor, enhanced: drag an item to another place among its siblings.
   Without this script the Up and Down buttons do the same; they stay for keyboard
   and screen-reader users. On drop, the sibling group's new order is posted with the
   page's hidden reorder form (CSRF token included), like any other form. */
(function () {
  "use strict";
  var form = document.getElementById("reorder-form");
  if (!form || !("draggable" in document.createElement("li"))) { return; }
  var dragged = null;

  function items(list) {
    return Array.prototype.filter.call(list.children, function (el) { return el.matches("li[data-item-id]"); });
  }

  function submit(list) {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=item]"), function (el) { el.remove(); });
    items(list).forEach(function (li) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "item";
      input.value = li.getAttribute("data-item-id");
      form.appendChild(input);
    });
    form.submit();
  }

  Array.prototype.forEach.call(document.querySelectorAll("ol.plan-list[data-group]"), function (list) {
    items(list).forEach(function (li) {
      li.draggable = true;
      li.addEventListener("dragstart", function (event) {
        if (event.target !== li) { return; }
        dragged = li;
        li.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", li.getAttribute("data-item-id"));
      });
      li.addEventListener("dragend", function () {
        li.classList.remove("is-dragging");
        dragged = null;
      });
      li.addEventListener("dragover", function (event) {
        if (!dragged || dragged === li || dragged.parentNode !== list) { return; }
        event.preventDefault();
        event.stopPropagation();
        li.classList.add("drop-target");
      });
      li.addEventListener("dragleave", function () { li.classList.remove("drop-target"); });
      li.addEventListener("drop", function (event) {
        if (!dragged || dragged === li || dragged.parentNode !== list) { return; }
        event.preventDefault();
        event.stopPropagation();
        li.classList.remove("drop-target");
        var before = items(list).indexOf(dragged) > items(list).indexOf(li);
        list.insertBefore(dragged, before ? li : li.nextSibling);
        submit(list);
      });
    });
  });
}());
