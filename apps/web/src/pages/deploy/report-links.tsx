import { useState } from 'react';
import { fetchReportMarkdown, reportUrl } from '../../api/deploys';

/** The report as a Markdown file and as a printable page. */
export function ReportLinks({ deployId }: { deployId: string }) {
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setError(null);
    try {
      const markdown = await fetchReportMarkdown(deployId);
      const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `deployment-report-${deployId}.md`;
      link.click();
      // The click has handed the blob to the download; the URL is no longer needed.
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    } catch (e) {
      setError(`The report could not be downloaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <div className="report-links">
      <button type="button" data-testid="download-report" onClick={() => void download()}>
        Download report (Markdown)
      </button>{' '}
      <a href={reportUrl(deployId)} target="_blank" rel="noreferrer" data-testid="printable-report">
        Printable report
      </a>
      {error && (
        <p className="status status--bad" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
