// Buttons that fail on purpose, so a visitor can watch the browser SDK report them.
document.getElementById('client-error')?.addEventListener('click', function breakThePage() {
  const cart = JSON.parse(localStorage.getItem('cart') || 'null');
  return cart.items.length; // TypeError: cart is null
});
document.getElementById('client-rejection')?.addEventListener('click', function rejectAPromise() {
  fetch('/no-such-api').then((res) => {
    if (!res.ok) throw new Error(`Inventory service answered ${res.status}`);
  });
});
