// Render every chart on the page from its embedded Vega-Lite spec, using the locally served vega bundle.
(function () {
  "use strict";
  // On a narrow screen a chart wider than its box scrolls sideways; say so, next to the chart.
  function markIfScrolls(target) {
    var hint = target.parentNode.querySelector(".jsna-scroll-hint");
    if (target.scrollWidth > target.clientWidth + 4) {
      if (!hint) {
        hint = document.createElement("p");
        hint.className = "jsna-scroll-hint";
        hint.textContent = "The chart is wider than the screen: scroll it sideways, or open the data table below.";
        target.parentNode.insertBefore(hint, target);
      }
    } else if (hint) {
      hint.remove();
    }
  }

  window.addEventListener("resize", function () {
    document.querySelectorAll("figure.jsna-chart--rendered .jsna-vega").forEach(markIfScrolls);
  });

  function render() {
    document.querySelectorAll("figure.jsna-chart").forEach(function (figure) {
      var specNode = figure.querySelector("script.jsna-spec");
      var target = figure.querySelector(".jsna-vega");
      if (!specNode || !target || target.dataset.rendered) return;
      target.dataset.rendered = "true";
      if (typeof window.vegaEmbed !== "function") {
        target.textContent = "The chart could not be drawn; the data table below has the same figures.";
        return;
      }
      var spec = JSON.parse(specNode.textContent);
      // Vega labels the element it draws into ("Vega visualization", role graphics-document), so it
      // draws into a child: the target keeps its role="img" and written description, and the
      // drawing itself is hidden from assistive technology.
      var canvas = document.createElement("div");
      canvas.className = "jsna-vega-canvas";
      canvas.setAttribute("aria-hidden", "true");
      target.appendChild(canvas);
      window.vegaEmbed(canvas, spec, { renderer: "svg", actions: false }).then(function (result) {
        var svg = canvas.querySelector("svg");
        if (svg) svg.setAttribute("focusable", "false");
        figure.classList.add("jsna-chart--rendered");
        markIfScrolls(target);
        return result;
      }).catch(function (error) {
        target.textContent = "The chart could not be drawn; the data table below has the same figures.";
        console.error(error);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
