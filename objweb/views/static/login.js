/* objweb login page: a refused login keeps the user name, in this browser tab only.
   The server never sends a typed user name back (it may be a password typed in the
   wrong field), so the tab keeps it: the form stores the name as it is sent, and the
   page that refuses the login fills it in again and puts the cursor in the password
   field. Any other page that loads this file (the login form itself, the logout and
   "logged in again" pages) forgets the name, and so does every management screen
   (zmi.js). Without this file the form works as before, with an empty name. */
(function () {
  "use strict";

  var KEY = "objweb.login.name";

  function tabStorage() {
    // Storage may be switched off, or refused to this page; the form then works without it.
    try {
      return window.sessionStorage;
    } catch (error) {
      return null;
    }
  }

  var store = tabStorage();
  if (!store) { return; }
  var kept = store.getItem(KEY);
  store.removeItem(KEY);

  var form = document.getElementById("login-form");
  if (!form) { return; }
  var name = form.elements.namedItem("login");
  var password = form.elements.namedItem("password");

  if (form.hasAttribute("data-refused") && kept !== null && name.value === "") {
    name.value = kept;
    password.focus();
  }
  form.addEventListener("submit", function () {
    store.setItem(KEY, name.value);
  });
})();
