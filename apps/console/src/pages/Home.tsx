// The landing page, as the Cognito console's: "Manage User Pools" or "Manage Identity Pools".
import { Link } from 'react-router-dom';
import { PageTitle } from '../components/ui';

export function Home() {
  return (
    <>
      <PageTitle>Corral</PageTitle>
      <p>Add user sign-up, sign-in and access control to your web and mobile apps — self-hosted, on the Amazon Cognito API.</p>
      <div className="cards">
        <section className="card">
          <h2>User Pools</h2>
          <p>Secure and scalable user directories: sign-up and sign-in for your app's users.</p>
          <Link className="button primary" to="/user-pools">
            Manage User Pools
          </Link>
        </section>
        <section className="card">
          <h2>Identity Pools</h2>
          <p>Federated identities: AWS credentials for your users, through roles.</p>
          <Link className="button primary" to="/identity-pools">
            Manage Identity Pools
          </Link>
        </section>
      </div>
    </>
  );
}
