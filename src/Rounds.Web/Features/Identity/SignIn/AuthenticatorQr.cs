using QRCoder;

namespace Rounds.Web.Features.Identity.SignIn;

/// <summary>
/// The authenticator key as a QR code, drawn on the server as SVG: the key never passes through a script or a
/// third-party service, and the page works under the strict Content-Security-Policy.
/// </summary>
public static class AuthenticatorQr
{
    public static string Svg(string otpauthUri)
    {
        using var data = QRCodeGenerator.GenerateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.M);
        using var code = new SvgQRCode(data);
        return code.GetGraphic(4);
    }
}
