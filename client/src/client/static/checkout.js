// The card form of the checkout: Stripe.js (Stripe's own, or localstripe's stand-in in dev
// and tests) draws the card fields and turns the card into a PaymentMethod id; the form
// then posts only that id, and payments creates and confirms the PaymentIntent with it.
// localstripe's stand-in has no createPaymentMethod (it returns nothing), only
// createToken; payments takes a token as well, so the token is the fallback.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof window.Stripe !== "function") { return; }
  var stripe = window.Stripe(form.getAttribute("data-stripe-key"));
  var card = stripe.elements().create("card", { hidePostalCode: true });
  card.mount("#card-element");
  var errors = document.getElementById("card-errors");
  var button = form.querySelector("button[type=submit]");
  var hidden = form.querySelector("input[name=paymentMethod]");

  // Stripe's errors (typed) are written for buyers; anything else gets a plain sentence.
  function fail(error) {
    var stripeSays = error && error.type && error.message;
    errors.textContent = stripeSays ? error.message : "Your card could not be read; check its details.";
    button.disabled = false;
  }
  async function cardId() {
    var made = await stripe.createPaymentMethod({ type: "card", card: card });
    if (made && made.paymentMethod) { return { id: made.paymentMethod.id }; }
    if (made && made.error) { return { error: made.error }; }
    var token = await stripe.createToken(card);
    return token.token ? { id: token.token.id } : { error: token.error };
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errors.textContent = "";
    button.disabled = true;
    cardId().then(function (result) {
      if (!result.id) { fail(result.error); return; }
      hidden.value = result.id;
      form.submit();  // no submit event: this posts
    }, fail);
  });
})();
