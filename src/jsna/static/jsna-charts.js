// Render every chart on the page from its embedded Vega-Lite spec, using the locally served vega bundle.
(function () {
  "use strict";
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
      window.vegaEmbed(target, spec, { renderer: "svg", actions: false }).then(function (result) {
        var svg = target.querySelector("svg");
        if (svg) {
          // The figure's own role="img" and label describe the chart; hide the drawing itself from assistive tech.
          svg.setAttribute("aria-hidden", "true");
          svg.setAttribute("focusable", "false");
        }
        figure.classList.add("jsna-chart--rendered");
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
