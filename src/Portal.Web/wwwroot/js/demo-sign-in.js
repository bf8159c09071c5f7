// Demo accounts on the sign-in page: clicking one fills the form and submits it.
document.addEventListener('click', event => {
    const button = event.target.closest('[data-demo-email]');
    if (!button) {
        return;
    }
    const form = document.querySelector('form.sign-in-form');
    form.querySelector('[name="Input.Email"]').value = button.dataset.demoEmail;
    form.querySelector('[name="Input.Password"]').value = button.dataset.demoPassword;
    form.requestSubmit();
});
