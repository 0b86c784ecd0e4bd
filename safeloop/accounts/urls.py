from django.urls import path

from safeloop.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_own, name="password"),
    path("password/first/", views.password_first, name="password_first"),
    # An enterprise principal's own accounts (主要负责人管理本企业账号)
    path("enterprise/", views.enterprise_accounts, name="enterprise_accounts"),
    path("enterprise/new/", views.enterprise_account_new, name="enterprise_account_new"),
    path("enterprise/<int:pk>/", views.enterprise_account, name="enterprise_account"),
    path("enterprise/<int:pk>/disable/", views.enterprise_account_disable, name="enterprise_account_disable"),
    path("enterprise/<int:pk>/enable/", views.enterprise_account_enable, name="enterprise_account_enable"),
    path("enterprise/<int:pk>/password/", views.enterprise_account_password, name="enterprise_account_password"),
    path("enterprise/delegation/", views.delegation_name, name="delegation_name"),
    path("enterprise/delegation/<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
    path("enterprise/handover/", views.principal_handover, name="principal_handover"),
]
