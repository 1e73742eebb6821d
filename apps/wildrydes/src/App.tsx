import { Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout';
import { RequireAuth } from './components/RequireAuth';
import { Faq } from './pages/Faq';
import { Home } from './pages/Home';
import { Investors } from './pages/Investors';
import { Mailbox } from './pages/Mailbox';
import { NotFound } from './pages/NotFound';
import { Profile } from './pages/Profile';
import { Register } from './pages/Register';
import { Ride } from './pages/Ride';
import { SignIn } from './pages/SignIn';
import { Unicorns } from './pages/Unicorns';

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="unicorns" element={<Unicorns />} />
        <Route path="investors" element={<Investors />} />
        <Route path="faq" element={<Faq />} />
        <Route path="register" element={<Register />} />
        <Route path="signin" element={<SignIn />} />
        <Route path="mailbox" element={<Mailbox />} />
        <Route
          path="profile"
          element={
            <RequireAuth>
              <Profile />
            </RequireAuth>
          }
        />
        <Route
          path="app"
          element={
            <RequireAuth>
              <Ride />
            </RequireAuth>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
