// Starts Redoc from the settings the page carries, so that the page needs no inline script.
// Redoc gives the styles it injects the nonce this script tag was given, which the CSP allows.
const container = document.getElementById("redoc-container");
const options = JSON.parse(container.dataset.settings || "{}");
options.nonce = document.currentScript.nonce;

// Redoc's sidebar always draws its maker's logo from their CDN; this page loads nothing from
// another host, so the logo is drawn from the portal's own favicon instead.
const remoteLogo = /^https:\/\/cdn\.redoc\.ly\//;
const localLogo = container.dataset.logo;
const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (name, value) {
  if (this instanceof HTMLImageElement && name === "src" && remoteLogo.test(value)) {
    value = localLogo;
  }
  return setAttribute.call(this, name, value);
};
const srcProperty = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
Object.defineProperty(HTMLImageElement.prototype, "src", {
  get() { return srcProperty.get.call(this); },
  set(value) { srcProperty.set.call(this, remoteLogo.test(value) ? localLogo : value); },
});

Redoc.init(container.dataset.schemaUrl, options, container);
