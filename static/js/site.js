/* Optional enhancements; every page works without this file (the server decides what each
   item may do, and checks everything again).
   - Request forms: the return's fields show only while a return is chosen (in the form for
     several items: for some chosen item); the pickup fields only once a carrier is chosen,
     the address to post it to only while none is; the bank account fields only where the
     money goes to a bank account and loyalty money is not chosen. Hidden fields are disabled
     so they are not sent.
   - Several items: an item's own fields show once it is chosen; its reasons are those of the
     type chosen for it (the reason list's groups are in the order of the type choices).
   - "You get back": follows the quantity typed.
   - Confirmation: a "Copy code" button for easy return codes; return slip: a "Print" button.
   - Error summary: moved into focus so screen readers and keyboards start there. */
(function () {
  "use strict";

  function show(element, visible) {
    element.hidden = !visible;
    element.querySelectorAll("input, select, textarea").forEach(function (control) {
      control.disabled = !visible;
    });
  }

  /* The type chosen in a form or a row: a checked radio button, or the only type (hidden). */
  function chosenType(scope) {
    var checked = scope.querySelector('input[type="radio"][name$="cancellation_type"]:checked');
    if (checked) {
      return checked.value;
    }
    var fixed = scope.querySelector('input[type="hidden"][name$="cancellation_type"]');
    return fixed ? fixed.value : "";
  }

  /* The types the form asks for: the item's, or those of the chosen rows. */
  function chosenTypes(form) {
    var rows = form.querySelectorAll("[data-bulk-row]");
    if (!rows.length) {
      return [chosenType(form)];
    }
    var types = [];
    rows.forEach(function (row) {
      var pick = row.querySelector('input[type="checkbox"][name$="-selected"]');
      if (pick && pick.checked) {
        types.push(chosenType(row));
      }
    });
    return types;
  }

  /* Reasons of the other type are not offered (groups follow the order of the types). */
  function syncReasons(scope) {
    var select = scope.querySelector('select[name$="reason"]');
    var radios = scope.querySelectorAll('input[type="radio"][name$="cancellation_type"]');
    if (!select || radios.length < 2) {
      return;
    }
    var groups = select.querySelectorAll("optgroup");
    radios.forEach(function (radio, index) {
      var group = groups[index];
      if (!group) {
        return;
      }
      var offered = !chosenType(scope) || radio.checked;
      group.disabled = !offered;
      group.hidden = !offered;
      if (!offered && select.selectedOptions.length && group.contains(select.selectedOptions[0])) {
        select.value = "";
      }
    });
  }

  function syncAmount(output) {
    var field = document.getElementById(output.getAttribute("data-quantity-field"));
    var amounts = output.getAttribute("data-amounts").split("|");
    var quantity = field ? parseInt(field.value, 10) : 1;
    var known = quantity >= 1 && quantity <= amounts.length;
    output.closest(".amount-back").hidden = !known;
    if (known) {
      output.textContent = amounts[quantity - 1];
    }
  }

  function sync(form) {
    form.querySelectorAll("[data-bulk-row]").forEach(function (row) {
      var pick = row.querySelector('input[type="checkbox"][name$="-selected"]');
      var fields = row.querySelector("[data-row-fields]");
      if (pick && fields) {
        show(fields, pick.checked);
      }
      syncReasons(row);
    });
    if (!form.querySelector("[data-bulk-row]")) {
      syncReasons(form);
    }
    var types = chosenTypes(form);
    var refund = types.indexOf("refund") !== -1;
    form.querySelectorAll("[data-refund-only]").forEach(function (part) {
      show(part, refund);
    });
    var carrier = form.querySelector('select[name$="shipping_company"]');
    var withCarrier = refund && carrier && carrier.value !== "";
    form.querySelectorAll("[data-pickup-fields]").forEach(function (part) {
      show(part, Boolean(withCarrier));
    });
    form.querySelectorAll("[data-self-send]").forEach(function (part) {
      part.hidden = !refund || Boolean(withCarrier);
    });
    var loyalty = form.querySelector('input[type="checkbox"][name$="fully_refund_as_loyalty_money"]');
    form.querySelectorAll("[data-bank-fields]").forEach(function (part) {
      var needed = (part.getAttribute("data-bank-for") || "").split(" ");
      var asked = types.some(function (type) {
        return needed.indexOf(type) !== -1;
      });
      show(part, asked && !(loyalty && loyalty.checked));
    });
    form.querySelectorAll("output[data-amounts]").forEach(syncAmount);
  }

  document.querySelectorAll("form[data-request-form]").forEach(function (form) {
    sync(form);
    form.addEventListener("change", function () {
      sync(form);
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches('input[name$="quantity"]')) {
        form.querySelectorAll("output[data-amounts]").forEach(syncAmount);
      }
    });
  });

  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      var original = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (!target) {
          return;
        }
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          button.textContent = button.getAttribute("data-copied-text") || original;
          window.setTimeout(function () {
            button.textContent = original;
          }, 2500);
        });
      });
    });
  }

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
