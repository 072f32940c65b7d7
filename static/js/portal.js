/*
 * 忻州市中试基地管理平台 — all of the portal's own behaviour. There is no inline script anywhere
 * (the Content-Security-Policy forbids it); templates opt in through data attributes:
 *
 *   <form method="post" data-confirm="确定要撤回吗？此操作不可恢复。" [data-confirm-button="撤回"]>
 *       asks in a Bootstrap modal (#portal-confirm-modal in layout/base.html; window.confirm as a
 *       fallback) before the form is submitted. A submit button may carry its own data-confirm
 *       (and data-confirm-button), which wins over the form's, or data-skip-confirm (e.g. "保存").
 *       For htmx elements use hx-confirm="…": the same modal answers htmx's confirm event.
 *   <form method="post">   every POST form: its submit buttons are disabled once it is submitted
 *       (double submission); opt out with data-allow-resubmit (e.g. a form that returns a download).
 *   <div data-formset="<prefix>"> … <div data-formset-row>…</div> …
 *       <template data-formset-empty><div data-formset-row>…__prefix__…</div></template>
 *       <button type="button" data-formset-add>…</button>
 *       (in a row) <button type="button" data-formset-remove>…</button>
 *     </div>
 *       a dynamic Django formset: "add" clones the template with the next index and raises
 *       #id_<prefix>-TOTAL_FORMS (never beyond MAX_NUM_FORMS); "remove" on a row that exists on
 *       the server (index < INITIAL_FORMS) with a -DELETE checkbox ticks it and hides the row; any
 *       other row is removed and the new rows after it are renumbered (TOTAL_FORMS follows).
 *       New rows go into [data-formset-rows] if the container has one, else after the last row.
 *       An add button outside the container names it: data-formset-add="<prefix>".
 *       templates/forms/dynamic_formset.html renders all of this for a formset.
 *   <button type="button" data-print>   prints the page.
 *   <div class="table-responsive">   when the table in it is wider than the box (a phone), the box
 *       becomes a named, focusable region, so the table can be scrolled with the keyboard too.
 *   htmx requests carry the CSRF token from <meta name="csrf-token">.
 */
(function () {
  "use strict";

  // --- helpers ------------------------------------------------------------------------------

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function focusableIn(root) {
    return root.querySelector(
      'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])'
    );
  }

  function isHtmxForm(form) {
    return ["hx-post", "hx-get", "hx-put", "hx-patch", "hx-delete", "data-hx-post", "data-hx-get"].some(
      function (name) {
        return form.hasAttribute(name);
      }
    );
  }

  // --- confirmation -------------------------------------------------------------------------

  /* Ask `message`; call onConfirm() if the user agrees. `returnFocus` gets the focus back on cancel. */
  function askConfirmation(message, options, onConfirm) {
    var modalEl = document.getElementById("portal-confirm-modal");
    var Modal = window.bootstrap && window.bootstrap.Modal;
    if (!modalEl || !Modal) {
      if (window.confirm(message)) {
        onConfirm();
      }
      return;
    }
    var body = modalEl.querySelector("[data-confirm-message]");
    var okButton = modalEl.querySelector("[data-confirm-ok]");
    if (!okButton.dataset.defaultLabel) {
      okButton.dataset.defaultLabel = okButton.textContent;
    }
    body.textContent = message;
    okButton.textContent = options.okLabel || okButton.dataset.defaultLabel;

    var modal = Modal.getOrCreateInstance(modalEl);
    var confirmed = false;

    function onOk() {
      confirmed = true;
      modal.hide();
    }

    function onHidden() {
      okButton.removeEventListener("click", onOk);
      modalEl.removeEventListener("hidden.bs.modal", onHidden);
      if (confirmed) {
        onConfirm();
      } else if (options.returnFocus && document.contains(options.returnFocus)) {
        options.returnFocus.focus();
      }
    }

    okButton.addEventListener("click", onOk);
    modalEl.addEventListener("hidden.bs.modal", onHidden);
    modalEl.addEventListener(
      "shown.bs.modal",
      function () {
        okButton.focus();
      },
      { once: true }
    );
    modal.show();
  }

  function submitAgain(form, submitter) {
    form.dataset.confirmed = "true";
    if (typeof form.requestSubmit === "function") {
      // requestSubmit keeps the submitter's name/value and runs the submit handlers again.
      if (submitter && submitter.form === form && document.contains(submitter)) {
        form.requestSubmit(submitter);
      } else {
        form.requestSubmit();
      }
    } else {
      if (submitter && submitter.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      form.submit();
    }
  }

  // Capture phase: runs before any other submit handler (htmx's included).
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) {
        return;
      }
      var submitter = event.submitter || null;
      if (form.dataset.confirmed === "true" || (submitter && submitter.hasAttribute("data-skip-confirm"))) {
        return;
      }
      // A submit button's own question wins over the form's.
      var asker = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
      var message = asker.getAttribute("data-confirm");
      // Errors before the question: a form with a required field empty or a value of the wrong
      // kind goes straight to the server, which does nothing and answers with its messages in
      // Chinese next to the fields. "Are you sure?" is asked only of a form that may succeed.
      if (message && typeof form.checkValidity === "function" && !form.checkValidity()) {
        return;
      }
      if (message) {
        event.preventDefault();
        event.stopImmediatePropagation();
        askConfirmation(
          message,
          {
            okLabel: asker.getAttribute("data-confirm-button") || form.getAttribute("data-confirm-button"),
            returnFocus: submitter || focusableIn(form),
          },
          function () {
            submitAgain(form, submitter);
          }
        );
      }
    },
    true
  );

  // hx-confirm="…" asks through the same modal.
  document.addEventListener("htmx:confirm", function (event) {
    var question = event.detail && event.detail.question;
    if (!question) {
      return;
    }
    event.preventDefault();
    askConfirmation(question, { returnFocus: event.detail.elt }, function () {
      event.detail.issueRequest(true);
    });
  });

  // --- double submission --------------------------------------------------------------------

  // Bubble phase: a submission that another handler cancelled is left alone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    // The confirmation is spent by this submission, whoever handles it.
    delete form.dataset.confirmed;
    if (event.defaultPrevented) {
      return;
    }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      return;
    }
    if (form.hasAttribute("data-allow-resubmit") || isHtmxForm(form) || form.target === "_blank") {
      return;
    }
    // After the event: a button disabled during it would drop the submitter's name/value.
    window.setTimeout(function () {
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll('button[type="submit"], input[type="submit"]').forEach(function (button) {
        if (!button.disabled) {
          button.disabled = true;
          button.dataset.disabledBySubmit = "true";
        }
      });
      // Buttons outside the form that submit it (form="id").
      if (form.id) {
        document
          .querySelectorAll('button[type="submit"][form="' + form.id + '"]')
          .forEach(function (button) {
            if (!button.disabled) {
              button.disabled = true;
              button.dataset.disabledBySubmit = "true";
            }
          });
      }
    }, 0);
  });

  // Back/forward cache: the page comes back as it was left, with disabled buttons; undo that.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll('[data-disabled-by-submit="true"]').forEach(function (button) {
      button.disabled = false;
      delete button.dataset.disabledBySubmit;
    });
    document.querySelectorAll("form[aria-busy]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      delete form.dataset.confirmed;
    });
  });

  // --- dynamic formsets ---------------------------------------------------------------------

  var RENAMED_ATTRIBUTES = ["name", "id", "for", "aria-describedby", "aria-labelledby", "aria-controls", "list"];

  function managementInput(container, prefix, field) {
    return (
      container.querySelector("#id_" + prefix + "-" + field) || document.getElementById("id_" + prefix + "-" + field)
    );
  }

  function rowsOf(container) {
    // Only this formset's rows, not those of a formset nested inside a row.
    return Array.prototype.filter.call(container.querySelectorAll("[data-formset-row]"), function (row) {
      return row.closest("[data-formset]") === container;
    });
  }

  function rowIndex(row, prefix) {
    var pattern = new RegExp("^" + prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-(\\d+)-");
    var fields = row.querySelectorAll("[name]");
    for (var i = 0; i < fields.length; i++) {
      var match = pattern.exec(fields[i].getAttribute("name"));
      if (match) {
        return parseInt(match[1], 10);
      }
    }
    return null;
  }

  function renumberRow(row, prefix, from, to) {
    var old = prefix + "-" + from + "-";
    var replacement = prefix + "-" + to + "-";
    var elements = [row].concat(Array.prototype.slice.call(row.querySelectorAll("*")));
    elements.forEach(function (element) {
      RENAMED_ATTRIBUTES.forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value && value.indexOf(old) !== -1) {
          element.setAttribute(attribute, value.split(old).join(replacement));
        }
      });
    });
  }

  /* Whether the formset holds MAX_NUM_FORMS rows, not counting those marked for deletion. */
  function isFull(container, prefix) {
    var total = managementInput(container, prefix, "TOTAL_FORMS");
    var max = managementInput(container, prefix, "MAX_NUM_FORMS");
    if (!total || !max || max.value === "") {
      return false;
    }
    var deleted = rowsOf(container).filter(function (row) {
      var box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
      return box && box.checked;
    }).length;
    return parseInt(total.value, 10) - deleted >= parseInt(max.value, 10);
  }

  function firstVisibleFocusable(container) {
    var candidates = container.querySelectorAll(
      'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])'
    );
    for (var i = 0; i < candidates.length; i++) {
      if (!candidates[i].closest("[hidden]")) {
        return candidates[i];
      }
    }
    return null;
  }

  function updateAddButtons(container, prefix) {
    var full = isFull(container, prefix);
    addButtonsFor(container, prefix).forEach(function (button) {
      button.disabled = full;
    });
  }

  function addButtonsFor(container, prefix) {
    var inside = Array.prototype.slice.call(container.querySelectorAll("[data-formset-add]")).filter(function (b) {
      return b.closest("[data-formset]") === container && !b.getAttribute("data-formset-add");
    });
    var outside = Array.prototype.slice.call(document.querySelectorAll('[data-formset-add="' + prefix + '"]'));
    return inside.concat(outside);
  }

  function addRow(container) {
    var prefix = container.getAttribute("data-formset");
    var total = managementInput(container, prefix, "TOTAL_FORMS");
    var template = container.querySelector("template[data-formset-empty]");
    if (!total || !template) {
      return;
    }
    var index = parseInt(total.value, 10);
    if (isFull(container, prefix)) {
      return;
    }
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).trim();
    var row = holder.querySelector("[data-formset-row]") || holder.firstElementChild;
    if (!row) {
      return;
    }
    if (!row.hasAttribute("data-formset-row")) {
      row.setAttribute("data-formset-row", "");
    }

    var rowsHost = container.querySelector("[data-formset-rows]");
    var rows = rowsOf(container);
    if (rowsHost && rowsHost.closest("[data-formset]") === container) {
      rowsHost.appendChild(row);
    } else if (rows.length) {
      var last = rows[rows.length - 1];
      last.parentNode.insertBefore(row, last.nextSibling);
    } else {
      template.parentNode.insertBefore(row, template);
    }
    total.value = String(index + 1);
    updateAddButtons(container, prefix);
    if (window.htmx && typeof window.htmx.process === "function") {
      window.htmx.process(row);
    }
    var first = focusableIn(row);
    if (first) {
      first.focus();
    }
  }

  function removeRow(row) {
    var container = row.closest("[data-formset]");
    if (!container) {
      return;
    }
    var prefix = container.getAttribute("data-formset");
    var initial = managementInput(container, prefix, "INITIAL_FORMS");
    var initialCount = initial ? parseInt(initial.value, 10) : 0;
    var index = rowIndex(row, prefix);
    var deleteBox = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (deleteBox && (index === null || index < initialCount)) {
      // A row that exists on the server: Django deletes it on save; it stays in the form, hidden.
      deleteBox.checked = true;
      row.hidden = true;
      updateAddButtons(container, prefix);
    } else {
      // A new row (or one without -DELETE): it goes, and the new rows after it close the gap in
      // the numbering, so that TOTAL_FORMS counts only the rows that are there.
      var total = managementInput(container, prefix, "TOTAL_FORMS");
      row.parentNode.removeChild(row);
      var next = initialCount;
      rowsOf(container).forEach(function (other) {
        var current = rowIndex(other, prefix);
        if (current === null || current < initialCount) {
          return;
        }
        if (current !== next) {
          renumberRow(other, prefix, current, next);
        }
        next += 1;
      });
      if (total) {
        total.value = String(Math.max(next, initialCount));
      }
      updateAddButtons(container, prefix);
    }
    // The focus was on the removed button: give it a sensible place.
    var target =
      addButtonsFor(container, prefix).filter(function (button) {
        return !button.disabled;
      })[0] || firstVisibleFocusable(container);
    if (target) {
      target.focus();
    }
  }

  function initFormsets(root) {
    var containers = [];
    if (root.matches && root.matches("[data-formset]")) {
      containers.push(root);
    }
    containers = containers.concat(Array.prototype.slice.call(root.querySelectorAll("[data-formset]")));
    containers.forEach(function (container) {
      var prefix = container.getAttribute("data-formset");
      // After a POST with errors, rows already marked for deletion stay hidden.
      rowsOf(container).forEach(function (row) {
        var deleteBox = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
        if (deleteBox && deleteBox.checked && row.querySelector("[data-formset-remove]")) {
          row.hidden = true;
        }
      });
      updateAddButtons(container, prefix);
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var add = target.closest("[data-formset-add]");
    if (add) {
      event.preventDefault();
      var named = add.getAttribute("data-formset-add");
      var container = named
        ? document.querySelector('[data-formset="' + named + '"]')
        : add.closest("[data-formset]");
      if (container) {
        addRow(container);
      }
      return;
    }
    var remove = target.closest("[data-formset-remove]");
    if (remove) {
      event.preventDefault();
      var row = remove.closest("[data-formset-row]");
      if (row) {
        removeRow(row);
      }
      return;
    }
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  // --- htmx ---------------------------------------------------------------------------------

  function onReady(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // --- wide tables ----------------------------------------------------------------------------
  // A table wider than the screen scrolls inside its .table-responsive box, not the page. A box
  // that scrolls must be reachable by keyboard (GB/T 37668-2019, WCAG 2.1.1): it gets tabindex="0",
  // role="region" and the name of its table's caption or the nearest heading before it.
  function regionName(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var section = box.closest("section, .card, main");
    var heading = section && section.querySelector("h1, h2, h3, h4");
    return heading ? heading.textContent.trim() : document.title;
  }

  function markScrollableTables(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) {
          box.setAttribute("aria-label", regionName(box));
        }
        box.setAttribute("data-portal-scrollable", "");
      } else if (!scrolls && box.hasAttribute("data-portal-scrollable")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("data-portal-scrollable");
      }
    });
  }

  onReady(function () {
    markScrollableTables(document);
    window.addEventListener("resize", function () {
      markScrollableTables(document);
    });
    document.body.addEventListener("htmx:configRequest", function (event) {
      var token = csrfToken();
      if (token) {
        event.detail.headers["X-CSRFToken"] = token;
      }
    });
    initFormsets(document);
    // Content swapped in by htmx gets the same treatment.
    document.body.addEventListener("htmx:load", function (event) {
      if (event.target instanceof Element) {
        initFormsets(event.target);
        markScrollableTables(event.target);
      }
    });
  });
})();
