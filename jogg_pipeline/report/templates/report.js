// Filters and search: a card stays shown when it has every value chosen and its product's
// name holds every word searched for. Hidden cards get the `hidden` attribute.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var search = document.getElementById("search");
  var count = document.getElementById("shown-count");
  var noMatch = document.getElementById("no-match");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-attribute]"));
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.video-card"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".gallery-group"));
  var videos = Array.prototype.slice.call(document.querySelectorAll("video"));

  function matches(card, words) {
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      if (select.value && card.getAttribute("data-" + select.dataset.attribute) !== select.value) {
        return false;
      }
    }
    var text = card.getAttribute("data-search") || "";
    return words.every(function (word) { return text.indexOf(word) !== -1; });
  }

  function apply() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var keep = matches(card, words);
      card.hidden = !keep;
      if (keep) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("article.video-card:not([hidden])");
    });
    count.textContent = shown + " of " + cards.length + " video" + (cards.length === 1 ? "" : "s") + " shown";
    noMatch.hidden = shown !== 0;
  }

  selects.forEach(function (select) { select.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  // "Show all" clears every filter at once, and the cards follow at once.
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    selects.forEach(function (select) { select.value = ""; });
    search.value = "";
    apply();
  });
  // One video plays at a time.
  videos.forEach(function (video) {
    video.addEventListener("play", function () {
      videos.forEach(function (other) { if (other !== video) { other.pause(); } });
    });
  });
  apply();
})();
