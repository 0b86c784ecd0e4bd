from django import forms
from django.contrib.auth.forms import AuthenticationForm

from safeloop.accounts.services import login_authenticate
from safeloop.core.errors import ServiceError


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, with the lockout rule the API uses too."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            try:
                self.user_cache = login_authenticate(request=self.request, username=username, password=password)
            except ServiceError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
