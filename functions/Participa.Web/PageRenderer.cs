using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;

namespace Participa.Web;

/// <summary>Renders a page component to an HTML string on the server: static HTML, no circuit, no script.</summary>
public sealed class PageRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    public async Task<string> RenderAsync<TPage>(IDictionary<string, object?> parameters) where TPage : IComponent
    {
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        var (culture, uiCulture) = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            // The renderer's dispatcher may run this elsewhere: the reader's language goes with it.
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = (culture, uiCulture);
            var output = await renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(parameters));
            return "<!DOCTYPE html>\n" + output.ToHtmlString();
        });
    }
}
