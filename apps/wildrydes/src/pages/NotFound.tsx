import { Link } from 'react-router-dom';

export function NotFound() {
  return (
    <div className="content narrow">
      <h1>Lost on the trail</h1>
      <p>There is no page here. Even unicorns take a wrong turn sometimes.</p>
      <p>
        <Link to="/" className="button">
          Back to Home
        </Link>
      </p>
    </div>
  );
}
