// optobook: add "Colab" to the launch (rocket) menu of every chapter page.
// Colab opens only .ipynb files from GitHub, and the chapters are MyST .md notebooks, so the entry
// points to the chapter's unexecuted copy notebooks/<part>/<chapter>.ipynb, which
// scripts/export_notebooks.py writes from the .md (tests/browser checks the copies are current).
// Repository and branch are read from the page's own Binder link (configured in _config.yml).
document.addEventListener("DOMContentLoaded", function () {
  var menu = document.querySelector(".dropdown-launch-buttons .dropdown-menu");
  if (!menu) return;
  var binder = menu.querySelector('a[href*="/v2/gh/"]');
  if (!binder) return;
  var m = binder.getAttribute("href").match(
    /\/v2\/gh\/([^/]+)\/([^/]+)\/([^?]+)\?urlpath=lab\/tree\/(?:\.\/)?book\/([^?#]+)\.md$/);
  if (!m) return;
  var url = "https://colab.research.google.com/github/" + m[1] + "/" + m[2] + "/blob/" + m[3] +
    "/notebooks/" + m[4] + ".ipynb";
  var item = binder.closest("li").cloneNode(true);
  var link = item.querySelector("a");
  link.setAttribute("href", url);
  link.setAttribute("title", "Launch on Colab");
  link.setAttribute("data-optobook", "colab");
  var img = link.querySelector("img");
  if (img) {
    img.setAttribute("src", img.getAttribute("src").replace("logo_binder.svg", "logo_colab.png"));
    img.setAttribute("alt", "Colab logo");
  }
  var text = link.querySelector(".btn__text-container");
  if (text) text.textContent = "Colab";
  binder.closest("li").after(item);
});
